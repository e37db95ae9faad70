// A V8 stack frame line: "    at fn (/abs/path/file.ts:1:2)", "    at async fn (node:internal/x:1:2)",
// "    at /abs/path/file.js:1:2", "    at Array.map (<anonymous>)".
const FRAME =
  /^\s+at (?:.*\((?:.*:\d+:\d+|native|<anonymous>|index \d+)\)|\S+:\d+:\d+)$/;

/** What replaces a stack trace in a log line the user reads. */
export const STACK_OMITTED = '(stack trace omitted; it is in the backend log)';

/**
 * A log message without the stack frames of an error, keeping its message. The scaffolder
 * backend writes `String(err.stack)` of a failed step into the task log
 * (NunjucksWorkflowRunner of @backstage/plugin-scaffolder-backend 4.3, `markFailed`), which
 * shows users server file paths; the same error reaches the backend log with its stack through
 * the scaffolder's audit event.
 */
export function withoutStackFrames(message: string): string {
  const lines = message.split('\n');
  const kept = lines.filter(line => !FRAME.test(line));
  if (kept.length === lines.length) return message;
  return [...kept, STACK_OMITTED].join('\n');
}
