import { verifyIndexDir } from '../../index/formats/index-verify.js';
import type { RegisterCommand } from './registry.js';

/** `densekit verify DIR`: checks every file of an index against its manifest; exit status 1 on any problem. */
export const registerVerify: RegisterCommand = (program) => {
  program
    .command('verify')
    .description('check every file of an index directory (sizes, layout, sha256, every vector block\'s crc32) and list any damage')
    .argument('<dir>', 'index directory')
    .action((dir: string) => {
      const report = verifyIndexDir(dir);
      for (const p of report.problems) process.stderr.write(`densekit verify: ${p}\n`);
      if (report.problems.length > 0) {
        process.stderr.write(`densekit verify: ${dir}: ${report.problems.length} problem(s) in ${report.files} files\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`${dir}: ${report.files} files verified, no problems\n`);
      }
    });
};
