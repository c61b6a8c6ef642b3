#!/usr/bin/env node
import { Command } from 'commander';
import { commands } from './commands/index.js';
import { reportError } from './errors.js';

const program = new Command();
program
  .name('densekit')
  .description('Dense passage retrieval: encode, index, search, evaluate and serve Hugging Face bi-encoders.')
  .version('0.1.0')
  .showHelpAfterError();
for (const register of commands) register(program);

program.parseAsync(process.argv).catch(reportError);
