// Perl's module documentation as known-item records for bench/make_corpus.mjs
// (--format records): one JSON object a line, {name, synopsis, body}.
//   node bench/perl_pod.mjs DIR... > records.jsonl
// Each .pm or .pod file under DIR with POD whose NAME paragraph reads "Foo::Bar - does X"
// gives a document titled "Foo::Bar" whose body is the rest of its POD as plain text, and
// the query "does X": a person who knows what they want and not what it is called. The
// NAME line is not in the body, as a package's synopsis is not in its long description.
// Files are read in sorted order and the first of a name is kept, so the same Debian
// packages (perl, perl-modules, perl-doc) give the same records on any machine.
import fs from 'node:fs';
import path from 'node:path';
function* walk(dir) {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(pm|pod)$/.test(e.name)) yield p;
  }
}
// POD's formatting codes (B<bold>, C<< code >>, L<text|target>, E<gt>) to their text;
// X<> (index entries) and Z<> say nothing a reader sees.
function plain(text) {
  let t = text.replace(/[A-Z]<<+\s+([\s\S]*?)\s+>>+/g, '$1');
  for (let i = 0; i < 5; ++i) {
    t = t.replace(/([A-Z])<([^<>]*)>/g, (_, code, inner) => {
      if (code === 'E') return { lt: '<', gt: '>', verbar: '|', sol: '/' }[inner] ?? '';
      if (code === 'Z' || code === 'X') return '';
      if (code === 'L') { const bar = inner.indexOf('|'); return (bar >= 0 ? inner.slice(0, bar) : inner).replace(/"/g, ''); }
      return inner;
    });
  }
  return t;
}
// The POD paragraphs of a file (between a =command and =cut), code between them left out.
function podParagraphs(source) {
  const out = [];
  let inPod = false;
  for (const para of source.split(/\n[ \t]*\n/)) {
    if (/^=cut\b/.test(para)) { inPod = false; continue; }
    if (/^=[a-zA-Z]/.test(para)) inPod = true;
    if (inPod) out.push(para.replace(/\n=cut\b[\s\S]*$/, ''));
  }
  return out;
}
// Indexes of the library: perlmodlib lists every core module with its NAME line (342 of
// the 500 queries word for word), perltoc every page's. Each query would be in them.
const indexes = new Set(['perlmodlib', 'perltoc']);
const out = new Map();
for (const dir of process.argv.slice(2)) for (const file of walk(dir)) {
  const paras = podParagraphs(fs.readFileSync(file, 'utf8'));
  const at = paras.findIndex((p) => /^=head1\s+NAME\s*$/.test(plain(p).trim()));  // "=head1 NAME X<...>" too
  if (at < 0 || at + 1 >= paras.length) continue;
  const nameLine = plain(paras[at + 1]).replace(/\s+/g, ' ').trim();
  const m = nameLine.match(/^(\S.*?)\s+--?\s+(.+)$/);
  if (!m) continue;
  const [, name, synopsis] = m;
  if (out.has(name) || indexes.has(name) || synopsis.split(' ').length < 2) continue;
  const body = paras.slice(at + 2).map((p) => {
    if (/^=(begin|end|for|pod|over|back|encoding)\b/.test(p)) return '';
    return plain(p.replace(/^=(head\d|item)\s*/, ''));
  }).filter((p) => p.trim()).join('\n\n').trim();
  if (body.split(/\s+/).length < 5) continue;
  out.set(name, { name, synopsis, body });
}
for (const r of out.values()) console.log(JSON.stringify(r));
