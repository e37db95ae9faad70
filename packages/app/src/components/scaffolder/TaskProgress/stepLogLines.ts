/** One line of a step's log as the task page shows it live. */
export interface StepLogLine {
  /** `info`, `warn`, `error`… (the task logger's level), when the line has one. */
  level?: string;
  text: string;
}

// ANSI SGR sequences (the task logger colours its level names).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// useTaskEventStream prefixes every line with the event's createdAt.
const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z\s/;
const LEVEL = /^(debug|info|warn|error):\s?/;

/**
 * The lines of a step's log (`TaskStream.stepLogs[stepId]` of @backstage/plugin-scaffolder-react)
 * as people read them: without the timestamp and colour codes, the level split off, and without
 * the scaffolder's own "Beginning/Finished step" lines.
 */
export function stepLogLines(raw: readonly string[]): StepLogLine[] {
  const lines: StepLogLine[] = [];
  for (const entry of raw) {
    const plain = entry.replace(TIMESTAMP, '').replace(ANSI, '');
    if (/^(Beginning|Finished) step /.test(plain)) continue;
    const level = LEVEL.exec(plain);
    const text = (level ? plain.slice(level[0].length) : plain).trimEnd();
    if (!text.trim()) continue;
    lines.push(level ? { level: level[1], text } : { text });
  }
  return lines;
}
