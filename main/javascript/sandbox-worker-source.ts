/**
 * The sandbox worker's code, run with `new Worker(source, { eval: true })`: a string rather than a file of its own
 * so the same code runs from the TypeScript sources (tests), the built host and the packaged app without a second
 * build entry. It only moves JSON between the host and QuickJS; every rule lives in `js-sandbox.ts`.
 *
 * Every function has a QuickJS runtime of its own (its own heap, memory limit, stack limit and deadline), so
 * nothing one script leaves behind is seen by another, as each eKuiper function instance has its own engine; a
 * script is checked in a runtime freed right after.
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

// One engine per function and script, kept between calls as an eKuiper rule keeps its function's engine: a
// fresh QuickJS runtime costs about a millisecond, a call in a warm one a few microseconds. The least recently
// used engines are freed past the cap; an engine whose call failed is freed (it may be out of memory or stack).
const ENGINE_CAP = 16;
const engines = new Map();

function freeEngine(key) {
  const engine = engines.get(key);
  if (engine === undefined) return;
  engines.delete(key);
  engine.fn.dispose();
  engine.ctx.dispose();
  engine.runtime.dispose();
}

function newEngine(QuickJS, request) {
  const runtime = QuickJS.newRuntime();
  runtime.setMemoryLimit(request.limits.memoryBytes);
  runtime.setMaxStackSize(request.limits.stackBytes);
  const engine = { runtime, deadline: Date.now() + request.limits.deadlineMs };
  runtime.setInterruptHandler(() => Date.now() > engine.deadline);
  const ctx = runtime.newContext();
  engine.ctx = ctx;
  const evaluated = ctx.evalCode(request.script, request.id + '.js');
  if (evaluated.error) {
    const error = errorOf(ctx, evaluated.error);
    ctx.dispose();
    runtime.dispose();
    return { answer: { stage: 'script', error } };
  }
  evaluated.value.dispose();
  const fn = ctx.getProp(ctx.global, request.id);
  if (ctx.typeof(fn) !== 'function') {
    fn.dispose();
    ctx.dispose();
    runtime.dispose();
    return { answer: { stage: 'lookup' } };
  }
  engine.fn = fn;
  return { engine };
}

/** Checks a script in an engine of its own, freed at once: a refused create or update leaves nothing behind. */
function check(QuickJS, request) {
  const made = newEngine(QuickJS, request);
  if (made.answer !== undefined) return made.answer;
  made.engine.fn.dispose();
  made.engine.ctx.dispose();
  made.engine.runtime.dispose();
  return { stage: 'done' };
}

function call(QuickJS, request) {
  const key = JSON.stringify([request.id, request.instance, request.script, request.limits]);
  let engine = engines.get(key);
  if (engine === undefined) {
    const made = newEngine(QuickJS, request);
    if (made.answer !== undefined) return made.answer;
    engine = made.engine;
  } else {
    engines.delete(key);
  }
  engines.set(key, engine);
  for (const oldest of engines.keys()) {
    if (engines.size <= ENGINE_CAP) break;
    freeEngine(oldest);
  }
  const ctx = engine.ctx;
  engine.deadline = Date.now() + request.limits.deadlineMs;
  const started = performance.now();
  const parsed = ctx.evalCode('(' + request.args + ')', 'arguments.json');
  if (parsed.error) {
    const error = errorOf(ctx, parsed.error);
    freeEngine(key);
    return { stage: 'call', error };
  }
  const args = [];
  for (let i = 0; i < request.argCount; i++) args.push(ctx.getProp(parsed.value, i));
  parsed.value.dispose();
  const called = ctx.callFunction(engine.fn, ctx.undefined, ...args);
  for (const arg of args) arg.dispose();
  if (called.error) {
    const error = errorOf(ctx, called.error);
    freeEngine(key);
    return { stage: 'call', error };
  }
  const result = valueOf(ctx, called.value);
  called.value.dispose();
  return { stage: 'done', result, ms: performance.now() - started };
}

function run(QuickJS, request) {
  return request.args === undefined ? check(QuickJS, request) : call(QuickJS, request);
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
