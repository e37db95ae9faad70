import { STACK_OMITTED, withoutStackFrames } from './withoutStackFrames';

describe('withoutStackFrames', () => {
  it('keeps the message of a failed step and drops the frames with server paths', () => {
    // What scaffolder-backend 4.3 writes for a step whose input failed validation.
    const logged = [
      'InputError: Invalid input passed to action codemie:plan, instance.bastionMembers[0] is not of a type(s) string',
      '    at NunjucksWorkflowRunner.executeStep (/work/app/node_modules/@backstage/plugin-scaffolder-backend/src/scaffolder/tasks/NunjucksWorkflowRunner.ts:666:19)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:103:5)',
      '    at async TaskWorker.runOneTask (/work/app/node_modules/@backstage/plugin-scaffolder-backend/src/scaffolder/tasks/TaskWorker.ts:302:26)',
    ].join('\n');
    expect(withoutStackFrames(logged)).toBe(
      `InputError: Invalid input passed to action codemie:plan, instance.bastionMembers[0] is not of a type(s) string\n${STACK_OMITTED}`,
    );
  });

  it('keeps a multi-line message and leaves lines without frames alone', () => {
    const message =
      'Error: Cloud SQL quota exceeded in europe-west1\nHint: request more quota or pick another region\n    at provision (/srv/a.ts:1:1)';
    expect(withoutStackFrames(message)).toBe(
      `Error: Cloud SQL quota exceeded in europe-west1\nHint: request more quota or pick another region\n${STACK_OMITTED}`,
    );
    const plain = 'GKE cluster x: creating, at 10:00 (europe-west1)';
    expect(withoutStackFrames(plain)).toBe(plain);
    const indented = 'Waiting for pods\n  at most 20 minutes';
    expect(withoutStackFrames(indented)).toBe(indented);
    expect(
      withoutStackFrames(
        'Error: x\n    at Array.map (<anonymous>)\n    at /srv/dist/index.cjs.js:10:3',
      ),
    ).toBe(`Error: x\n${STACK_OMITTED}`);
  });
});
