// Resolves `@incident-sync/<lib>` to the compiled library in dist/ at run time (the
// compile-time mapping is tsconfig.base.json `paths`). Loaded with `node -r`.
const Module = require('node:module');
const path = require('node:path');
const dist = path.resolve(__dirname, '..', 'dist', 'libs');
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  // `@incident-sync/<lib>` and secondary entry points `@incident-sync/<lib>/<folder>`.
  const match = /^@incident-sync\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(request);
  if (match) return original.call(this, path.join(dist, match[1], 'src', match[2] ?? '', 'index.js'), ...rest);
  return original.call(this, request, ...rest);
};
