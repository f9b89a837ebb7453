// ESLint for the theme's scripts (templates/assets/*.js), run by .ci/run
// and by the test `scripts_pass_eslint` (tests/it/lint.rs) from the
// repository's root:
//
//   tests/browser/node_modules/.bin/eslint --config tests/browser/eslint.config.mjs templates/assets
//
// The scripts are plain browser scripts, not modules: each is one function
// called at once, sharing what it must through window.UpgradeAtlas*, in the
// ES5 style they are written in, with async functions, for...of and
// destructuring where they help.
import js from "@eslint/js";

// What the scripts use of the browser, named so that a misspelt global is
// an error rather than a reader's broken page.
const browser = Object.fromEntries([
  "window", "document", "console", "navigator", "location", "history",
  "localStorage", "sessionStorage", "setTimeout", "clearTimeout",
  "requestAnimationFrame", "URLSearchParams", "URL", "Option", "Node",
  "HTMLElement", "Event", "CustomEvent", "IntersectionObserver", "matchMedia",
  "getComputedStyle", "MutationObserver", "Intl", "NodeFilter"
].map((name) => [name, "readonly"]));

export default [
  js.configs.recommended,
  {
    files: ["templates/assets/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: browser
    },
    rules: {
      // The style the scripts are written in.
      "strict": ["error", "function"],
      "no-var": "off",
      "eqeqeq": ["error", "always"],
      "no-implicit-globals": "error",
      "no-shadow": "off",
      // ES5 has no catch without a binding: `catch (e)` may ignore it.
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }]
    }
  }
];
