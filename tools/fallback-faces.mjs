// Writes overrides/assets/fallback-faces.css (run by `make fonts`; or to the path given):
// system serif faces scaled to STIX Two Text's metrics with Capsize (size-adjust and ascent/descent/line-gap overrides), so
// that a page painted before the text face is in shows about the same line lengths and the
// same line heights (bold and italic take the regular face's values).
// STIX Two Text is measured from the face the site ships; Times New Roman (and the faces made
// to its metrics: Liberation Serif, Tinos) and Noto Serif from Capsize's metrics collection;
// DejaVu Serif, the serif of many Linux systems, from the system's file.
import { writeFileSync } from 'node:fs';
import { createFontStack } from '@capsizecss/core';
import { entireMetricsCollection as collection } from '@capsizecss/metrics/entireMetricsCollection';
import { fromFile } from '@capsizecss/unpack/fs';

const OUT = process.argv[2] ?? 'overrides/assets/fallback-faces.css'; // another path: tests compare
const stix = await fromFile('overrides/assets/fonts/stix-two-text-latin-400-normal.woff2');
const dejaVu = await fromFile('/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf');
// local() names of each family's four faces: full name, then PostScript name
const LOCAL = {
  'Times New Roman': {
    '400 normal': ['Times New Roman', 'TimesNewRomanPSMT', 'Liberation Serif', 'LiberationSerif', 'Tinos', 'Tinos-Regular'],
    '700 normal': ['Times New Roman Bold', 'TimesNewRomanPS-BoldMT', 'Liberation Serif Bold', 'LiberationSerif-Bold', 'Tinos Bold', 'Tinos-Bold'],
    '400 italic': ['Times New Roman Italic', 'TimesNewRomanPS-ItalicMT', 'Liberation Serif Italic', 'LiberationSerif-Italic', 'Tinos Italic', 'Tinos-Italic'],
    '700 italic': ['Times New Roman Bold Italic', 'TimesNewRomanPS-BoldItalicMT', 'Liberation Serif Bold Italic', 'LiberationSerif-BoldItalic', 'Tinos Bold Italic', 'Tinos-BoldItalic'],
  },
  'Noto Serif': {
    '400 normal': ['Noto Serif', 'Noto Serif Regular', 'NotoSerif-Regular'],
    '700 normal': ['Noto Serif Bold', 'NotoSerif-Bold'],
    '400 italic': ['Noto Serif Italic', 'NotoSerif-Italic'],
    '700 italic': ['Noto Serif Bold Italic', 'NotoSerif-BoldItalic'],
  },
  'DejaVu Serif': {
    '400 normal': ['DejaVu Serif', 'DejaVuSerif'],
    '700 normal': ['DejaVu Serif Bold', 'DejaVuSerif-Bold'],
    '400 italic': ['DejaVu Serif Italic', 'DejaVuSerif-Italic'],
    '700 italic': ['DejaVu Serif Bold Italic', 'DejaVuSerif-BoldItalic'],
  },
};
const fallbacks = [collection.timesNewRoman, collection.notoSerif, { ...dejaVu, familyName: 'DejaVu Serif' }];
const { fontFaces } = createFontStack([{ ...stix, familyName: 'STIX Two Text' }, ...fallbacks], { fontFaceFormat: 'styleObject' });
const rules = [];
fontFaces.forEach((face, index) => {
  const family = fallbacks[index].familyName;
  const { src, ...metrics } = face['@font-face'];
  for (const [variant, names] of Object.entries(LOCAL[family])) {
    const [weight, style] = variant.split(' ');
    rules.push(`@font-face {\n  font-family: ${face['@font-face'].fontFamily};\n  font-weight: ${weight};\n  font-style: ${style};\n` +
      `  src: ${names.map((name) => `local("${name}")`).join(', ')};\n` +
      Object.entries(metrics).filter(([key]) => key !== 'fontFamily')
        .map(([key, value]) => `  ${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: ${value};\n`).join('') + '}');
  }
});
writeFileSync(OUT, `/* Made by tools/fallback-faces.mjs (make fonts); do not edit. */\n${rules.join('\n')}\n`);
console.log(`wrote ${OUT}: ${rules.length} faces`);
