/**
 * The sandbox worker's code, run with `new Worker(source, { eval: true })`: a string rather than a file of its own
 * so the same code runs from the TypeScript sources (tests), the built host and the packaged app without a second
 * build entry. It only moves JSON between the host and QuickJS; every rule lives in `js-sandbox.ts`.
 *
 * Each request gets a fresh QuickJS runtime (its own heap, memory limit, stack limit and deadline) so nothing one
 * script leaves behind is seen by the next, as each eKuiper function instance has its own engine.
 */
export const SANDBOX_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');

function errorOf(ctx, handle) {
  const dumped = ctx.dump(handle);
  handle.dispose();
  if (dumped !== null && typeof dumped === 'object') {
    const location = /:(\d+):(\d+)/.exec(String(dumped.stack || ''));
    return {
      name: String(dumped.name || 'Error'),
      message: String(dumped.message === undefined ? dumped : dumped.message),
      line: location ? Number(location[1]) : undefined,
      column: location ? Number(location[2]) : undefined,
    };
  }
  return { name: '', message: String(dumped) };
}

function valueOf(ctx, handle) {
  if (ctx.typeof(handle) === 'number') return { number: ctx.getNumber(handle) };
  if (ctx.typeof(handle) === 'undefined') return { undefined: true };
  return { json: JSON.stringify(ctx.dump(handle)) };
}

function run(QuickJS, request) {
  const runtime = QuickJS.newRuntime();
  runtime.setMemoryLimit(request.limits.memoryBytes);
  runtime.setMaxStackSize(request.limits.stackBytes);
  const deadline = Date.now() + request.limits.deadlineMs;
  runtime.setInterruptHandler(() => Date.now() > deadline);
  const ctx = runtime.newContext();
  const started = performance.now();
  try {
    const evaluated = ctx.evalCode(request.script, request.id + '.js');
    if (evaluated.error) return { stage: 'script', error: errorOf(ctx, evaluated.error) };
    evaluated.value.dispose();
    const fn = ctx.getProp(ctx.global, request.id);
    try {
      if (ctx.typeof(fn) !== 'function') return { stage: 'lookup' };
      if (request.args === undefined) return { stage: 'done' };
      const parsed = ctx.evalCode('(' + request.args + ')', 'arguments.json');
      if (parsed.error) return { stage: 'call', error: errorOf(ctx, parsed.error) };
      const count = request.argCount;
      const args = [];
      for (let i = 0; i < count; i++) args.push(ctx.getProp(parsed.value, i));
      parsed.value.dispose();
      const called = ctx.callFunction(fn, ctx.undefined, ...args);
      for (const arg of args) arg.dispose();
      if (called.error) return { stage: 'call', error: errorOf(ctx, called.error) };
      const result = valueOf(ctx, called.value);
      called.value.dispose();
      return { stage: 'done', result, ms: performance.now() - started };
    } finally {
      fn.dispose();
    }
  } finally {
    ctx.dispose();
    runtime.dispose();
  }
}

import(workerData.quickjsUrl).then(async (quickjs) => {
  const QuickJS = await quickjs.getQuickJS();
  parentPort.on('message', (request) => {
    let answer;
    try {
      answer = run(QuickJS, request);
    } catch (error) {
      answer = { stage: 'crash', error: { name: 'Error', message: String(error && error.message || error) } };
    }
    parentPort.postMessage({ seq: request.seq, answer });
  });
  parentPort.postMessage({ ready: true });
});
`;
