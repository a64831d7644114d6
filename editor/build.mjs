// Build the explorer's editor once: `npm ci && npm run build` in this folder. The bundle and the
// licences of what it holds are committed under autoconv/serve/static/ and shipped in the wheel,
// so `autoconv serve` fetches nothing from the network.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const out = "../autoconv/serve/static";
await build({
  entryPoints: ["editor.mjs"],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  outfile: `${out}/editor.js`,
  legalComments: "none",
});
const bundled = ["codemirror", "@codemirror/view", "@codemirror/state", "@codemirror/language",
  "@codemirror/commands", "@codemirror/search", "@codemirror/autocomplete", "@codemirror/lint",
  "@codemirror/lang-python", "@codemirror/theme-one-dark", "@lezer/common", "@lezer/highlight",
  "@lezer/lr", "@lezer/python", "@marijn/find-cluster-break", "crelt", "style-mod", "w3c-keyname"];
const licences = bundled.map((name) => {
  const meta = JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8"));
  const text = readFileSync(`node_modules/${name}/LICENSE`, "utf8");
  return `${name} ${meta.version} (${meta.license})\n\n${text.trim()}\n`;
});
writeFileSync(`${out}/editor.LICENSE.txt`,
  "editor.js bundles these packages, each under the licence below.\n\n" + licences.join("\n" + "-".repeat(72) + "\n\n"));
