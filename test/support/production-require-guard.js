// Preloaded (`NODE_OPTIONS=--require ...`) into the compiled API and worker, and through the environment
// into the Prisma CLI they spawn, by test/foundation/production-build.test.ts. It makes the repository's
// node_modules look like the image's:
// - a package that package-lock.json marks `dev` (left out by `npm prune --omit=dev` / `npm ci
//   --omit=dev`) cannot be resolved, with the same MODULE_NOT_FOUND error as in the image, so an optional
//   probe that copes with its absence copes here too;
// - webpack cannot run: a production worker loads the prebuilt workflow bundle instead of bundling.
// CommonJS resolution only (everything our compiled code and the Prisma CLI load at start-up).
const Module = require('node:module');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const lock = require(path.join(root, 'package-lock.json'));
const PACKAGE_DIR = /^node_modules\/(?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*/;
const WEBPACK_COMPILER = /\/node_modules\/webpack\/lib\/(webpack|Compiler)\.js$/;

function refuse(request, parent, why) {
  process.stderr.write(`production-require-guard: ${request} (from ${parent?.filename ?? '?'}) ${why}\n`);
  const error = new Error(`Cannot find module '${request}' (${why})`);
  error.code = 'MODULE_NOT_FOUND';
  return error;
}

const resolve = Module._resolveFilename;
Module._resolveFilename = function guardedResolve(request, parent, ...rest) {
  const filename = resolve.call(this, request, parent, ...rest);
  if (WEBPACK_COMPILER.test(filename))
    throw refuse(request, parent, 'runs webpack: a production worker must load the prebuilt workflow bundle');
  const key = PACKAGE_DIR.exec(path.relative(root, filename).split(path.sep).join('/'))?.[0];
  if (key && lock.packages[key]?.dev)
    throw refuse(request, parent, `is ${key}, a development-only package that the image does not have`);
  return filename;
};
