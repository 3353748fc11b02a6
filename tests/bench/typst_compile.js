// typst_compile.js — the Typst baseline: compiles one .typ file to PDF with
// the typst.ts Node compiler, offline, seeing only the given font folder.
//
// Usage: node typst_compile.js MODULE_PREFIX MAIN.typ OUT.pdf FONTDIR
// Prints "typst: compile S" and "typst: pdf S" on stdout.
'use strict';
const fs = require('fs');
const path = require('path');

const [prefix, main, out, fontdir] = process.argv.slice(2);
if (!prefix || !main || !out || !fontdir) {
  console.error('usage: node typst_compile.js MODULE_PREFIX MAIN.typ OUT.pdf FONTDIR');
  process.exit(2);
}
const { NodeCompiler } = require(path.join(prefix, 'node_modules', '@myriaddreamin', 'typst-ts-node-compiler'));

const t0 = process.hrtime.bigint();
const compiler = NodeCompiler.create({ workspace: path.dirname(main), fontArgs: [{ fontPaths: [fontdir] }] });
const content = fs.readFileSync(main, 'utf8');
const result = compiler.compile({ mainFileContent: content });
const doc = result.result;
if (!doc) {
  console.error('typst: compile failed');
  result.printErrors();
  process.exit(1);
}
const t1 = process.hrtime.bigint();
const pdf = compiler.pdf(doc);
fs.writeFileSync(out, pdf);
const t2 = process.hrtime.bigint();
console.log(`typst: compile ${(Number(t1 - t0) / 1e9).toFixed(3)}`);
console.log(`typst: pdf ${(Number(t2 - t1) / 1e9).toFixed(3)}`);
