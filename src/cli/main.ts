#!/usr/bin/env node
import { Command } from 'commander';
import { commands } from './commands/index.js';
import { reportError } from './errors.js';
import { configureCli } from './help.js';

const program = new Command();
program
  .name('densekit')
  .description('Dense passage retrieval: encode, index, search, evaluate and serve Hugging Face bi-encoders.')
  .version('0.1.0');
for (const register of commands) register(program);
configureCli(program);

let running: Command | undefined;
program.hook('preAction', (_program, actionCommand) => {
  running = actionCommand;
});
program.parseAsync(process.argv).catch((err: unknown) => reportError(err, running));
