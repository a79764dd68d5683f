import type { AiFunctionForm } from '../../shared/ai-dto.js';

/** The code found in a model's answer and the prose around it. */
export interface ExtractedCode {
  code: string;
  explanation?: string;
}

interface Block {
  language: string;
  body: string;
  start: number;
  end: number;
}

const LANGUAGES: Record<AiFunctionForm, string[]> = {
  python: ['python', 'py', 'python3'],
  javascript: ['javascript', 'js', 'ecmascript', 'es5'],
};

/** Lines that begin the code when a model answers without fences. */
const CODE_START: Record<AiFunctionForm, RegExp> = {
  python: /^(from |import |class |def |@|#!)/,
  javascript: /^(function |var |'use strict'|"use strict"|\/\*|\/\/)/,
};

/** What the wanted code must contain, to choose among several blocks. */
const SIGNATURE: Record<AiFunctionForm, RegExp> = {
  python: /class\s+\w+\s*\(\s*Function\s*\)/,
  javascript: /function\s+\w+\s*\(/,
};

/** Reasoning models (DeepSeek-R1, Qwen3) think aloud in `<think>…</think>` before answering. */
function withoutThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/^[\s\S]*?<\/think>/i, '');
}

/** Every fenced block (``` or ~~~, with or without a language); an unclosed last fence runs to the end. */
function fencedBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const opening = /^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n/gm;
  let match: RegExpExecArray | null;
  while ((match = opening.exec(text)) !== null) {
    const fence = match[1]!;
    const bodyStart = match.index + match[0].length;
    const closing = new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`, 'm');
    const rest = text.slice(bodyStart);
    const close = closing.exec(rest);
    const bodyEnd = close === null ? text.length : bodyStart + close.index;
    const end = close === null ? text.length : bodyStart + close.index + close[0].length;
    blocks.push({
      language: match[2]!.toLowerCase(),
      body: text.slice(bodyStart, bodyEnd),
      start: match.index,
      end,
    });
    opening.lastIndex = end;
  }
  return blocks;
}

/** The block that holds the function: the wanted language first, then the signature, then the longest. */
function bestBlock(blocks: Block[], form: AiFunctionForm): Block | undefined {
  const score = (block: Block) =>
    (LANGUAGES[form].includes(block.language) ? 4 : block.language === '' ? 1 : 0) +
    (SIGNATURE[form].test(block.body) ? 2 : 0);
  return [...blocks].sort((a, b) => score(b) - score(a) || b.body.length - a.body.length)[0];
}

function prose(text: string): string | undefined {
  const trimmed = text.replace(/\n{3,}/g, '\n\n').trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A sentence, not code: starts with a capital, three words or more, no code punctuation. */
const SENTENCE = /^[A-Z][a-z']*(\s+[\w'’,-]+){2,}[.:!]?$/;

/** Where bare code ends: at the first unindented sentence after a blank line (the model's closing words). */
function proseAfter(lines: string[], first: number): number {
  for (let index = first + 1; index < lines.length; index++) {
    if (lines[index - 1]!.trim() === '' && SENTENCE.test(lines[index]!) && !/[=(){};]/.test(lines[index]!)) {
      return index;
    }
  }
  return lines.length;
}

/**
 * Finds the code in a chat answer, however the model wrapped it: a fenced block (the one in the wanted language
 * that holds the function, when there are several), an answer cut off inside its fence, or bare code after a
 * sentence of prose. Answers undefined when there is no code at all.
 */
export function extractCode(answer: string, form: AiFunctionForm): ExtractedCode | undefined {
  const text = withoutThinking(answer).replace(/\r\n/g, '\n');
  const block = bestBlock(fencedBlocks(text), form);
  if (block !== undefined) {
    const code = block.body.replace(/\s+$/, '');
    if (code.trim() === '') return undefined;
    const explanation = prose(`${text.slice(0, block.start)}\n${text.slice(block.end)}`);
    return explanation === undefined ? { code: `${code}\n` } : { code: `${code}\n`, explanation };
  }
  const lines = text.split('\n');
  const first = lines.findIndex((line) => CODE_START[form].test(line));
  if (first < 0) return undefined;
  const last = proseAfter(lines, first);
  const code = lines.slice(first, last).join('\n').replace(/\s+$/, '');
  if (!SIGNATURE[form].test(code)) return undefined;
  const explanation = prose(`${lines.slice(0, first).join('\n')}\n\n${lines.slice(last).join('\n')}`);
  return explanation === undefined ? { code: `${code}\n` } : { code: `${code}\n`, explanation };
}
