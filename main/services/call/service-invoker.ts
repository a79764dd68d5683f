import { performance } from 'node:perf_hooks';
import type { Method } from 'protobufjs';
import { hostMessage } from '../../../shared/host-messages.js';
import type {
  ServiceCallOutcome,
  ServiceCallRequestView,
  ServiceCallResponseView,
} from '../../../shared/service-call-dto.js';
import { errorText } from '../../plugins/plugin-error.js';
import { ServiceCallError } from './call-failure.js';
import { SERVICE_CALL_TIMEOUT_MS, type ServiceCallSettings, type ServiceCallTarget } from './call-target.js';
import { bodyView, maskedHeaders } from './exchange-view.js';
import { parseGoDuration } from './go-duration.js';
import { callGrpc } from './grpc-call.js';
import { planProtoRest, planSchemaless, requestHeaders, type RestPlan } from './rest-call.js';
import { sendRestRequest, type RestAnswer, type RestRequest } from './rest-exchange.js';

/** The outcome's fields other than the protocol and the time, as each protocol fills them. */
type CallRecord = Omit<ServiceCallOutcome, 'protocol' | 'ms'>;

function failed(error: unknown, attempts: number, request?: ServiceCallRequestView): CallRecord {
  return {
    ok: false,
    error: error instanceof ServiceCallError ? error.message : errorText(error),
    attempts,
    ...(request === undefined ? {} : { request }),
  };
}

function requestView(request: RestRequest): ServiceCallRequestView {
  return {
    method: request.method,
    url: request.url,
    headers: maskedHeaders(request.headers),
    ...(request.body === undefined ? {} : { body: request.body }),
  };
}

function responseView(answer: RestAnswer): ServiceCallResponseView {
  return {
    status: answer.status,
    statusText: answer.statusText,
    headers: maskedHeaders(answer.headers),
    ...bodyView(answer.body.length, answer.body.toString('utf8')),
  };
}

/** The rpc a function calls, from the interface's proto. */
function rpcMethod(target: ServiceCallTarget): Method {
  const method = target.protoService?.methods[target.rpcName];
  if (method === undefined) {
    throw new ServiceCallError(
      target.protoService === undefined
        ? hostMessage('svcCallNoProto', { rpc: target.rpcName })
        : hostMessage('svcCallRpcMissing', { rpc: target.rpcName, service: target.protoService.name }),
    );
  }
  method.resolve();
  return method;
}

/** eKuiper's retry: `retryCount` tries in all (at least one), `retryInterval` apart, only for failures that may pass. */
function retryPlan(target: ServiceCallTarget): { tries: number; intervalMs: number } {
  const options = target.options ?? {};
  const interval = options.retryInterval ?? '';
  const intervalMs = interval === '' ? 0 : parseGoDuration(interval);
  if (intervalMs === undefined)
    throw new ServiceCallError(hostMessage('svcCallRetryInterval', { value: interval }));
  const count = Number(options.retryCount ?? 0);
  return {
    tries: Number.isFinite(count) && count >= 1 ? Math.floor(count) : 1,
    intervalMs: Math.max(0, intervalMs),
  };
}

async function callRest(target: ServiceCallTarget, args: unknown[], timeoutMs: number): Promise<CallRecord> {
  let plan: RestPlan;
  let retry: { tries: number; intervalMs: number };
  try {
    retry = retryPlan(target);
    const headers = requestHeaders(target.options?.headers ?? undefined);
    plan = target.schemaless
      ? planSchemaless(target.rpcName, target.address, headers, args)
      : planProtoRest(rpcMethod(target), target.httpRule, target.address, headers, args);
  } catch (error) {
    return failed(error, 0);
  }
  const request = requestView(plan.request);
  const settings = { timeoutMs, insecureSkipVerify: target.options?.insecureSkipVerify === true };
  let last: CallRecord = failed(new ServiceCallError(''), 0, request);
  for (let attempt = 1; attempt <= retry.tries; attempt += 1) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, retry.intervalMs));
    let answer: RestAnswer;
    try {
      answer = await sendRestRequest(plan.request, settings);
    } catch (error) {
      last = failed(error, attempt, request);
      if (error instanceof ServiceCallError && error.retryable) continue;
      return last;
    }
    const response = responseView(answer);
    try {
      const reading = plan.read(answer);
      return {
        ok: true,
        result: reading.result,
        attempts: attempt,
        request,
        response,
        ...(reading.notes.length === 0 ? {} : { notes: reading.notes }),
      };
    } catch (error) {
      return { ...failed(error, attempt, request), response };
    }
  }
  return last;
}

async function callGrpcTarget(
  target: ServiceCallTarget,
  args: unknown[],
  timeoutMs: number,
): Promise<CallRecord> {
  let exchange;
  try {
    exchange = await callGrpc(target.protoService!, rpcMethod(target), target.address, args, timeoutMs);
  } catch (error) {
    return failed(error, 0);
  }
  const shown = {
    request: exchange.request,
    attempts: 1,
    ...(exchange.response === undefined ? {} : { response: exchange.response }),
  };
  if (exchange.error !== undefined) return { ...failed(exchange.error, 1), ...shown };
  return { ok: true, result: exchange.result, ...shown };
}

async function callByProtocol(
  target: ServiceCallTarget,
  args: unknown[],
  timeoutMs: number,
): Promise<CallRecord> {
  switch (target.protocol) {
    case 'rest':
      return callRest(target, args, timeoutMs);
    case 'grpc':
      return callGrpcTarget(target, args, timeoutMs);
    case 'msgpack-rpc':
      return failed(new ServiceCallError(hostMessage('svcCallMsgpack')), 0);
    default:
      return failed(
        new ServiceCallError(hostMessage('svcCallProtocolUnknown', { protocol: target.protocol })),
        0,
      );
  }
}

/**
 * Calls a service function once, as an eKuiper rule would — same request, same timeout (5 s), same retries, same
 * reading of the answer — and reports the whole exchange. It never throws for anything the service or the
 * arguments do: a failed call is an outcome with `ok: false` and the reason, so Try it can show what was sent and
 * what came back.
 */
export async function invokeServiceFunction(
  target: ServiceCallTarget,
  args: unknown[],
  settings: ServiceCallSettings = {},
): Promise<ServiceCallOutcome> {
  const started = performance.now();
  const timeoutMs = settings.timeoutMs ?? SERVICE_CALL_TIMEOUT_MS;
  const record = await callByProtocol(target, args, timeoutMs);
  return { ...record, protocol: target.protocol, ms: Math.round((performance.now() - started) * 10) / 10 };
}
