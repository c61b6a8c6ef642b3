// Prints a reproduction's numbers beside the published ones. Arguments: a title, then one
// "label|eval-json-file|measure|published" per row, where the file is `densekit eval --json` output.
import { readFileSync } from 'node:fs';

const [title, ...rows] = process.argv.slice(2);
const cache = new Map();
const measures = (file) => {
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(file, 'utf8')).all);
  return cache.get(file);
};
console.log(`\n${title}`);
console.log(`${'measure'.padEnd(28)}${'densekit'.padStart(10)}${'published'.padStart(11)}`);
for (const row of rows) {
  const [label, file, measure, published] = row.split('|');
  const value = measures(file)[measure];
  if (typeof value !== 'number') throw new Error(`${file}: no measure ${measure}`);
  console.log(`${label.padEnd(28)}${value.toFixed(4).padStart(10)}${published.padStart(11)}`);
}
