import type { ComponentProblemDetector } from './types';
import { severityOf } from './format';

/**
 * A component whose image cannot be pulled (ErrImagePull, ImagePullBackOff,
 * InvalidImageName): the image and the pull secret to check.
 *
 * @internal
 */
export const imagePullFailures: ComponentProblemDetector = ({
  component: c,
}) => {
  const failing = c.podRows.filter(r => /Image/.test(r.state));
  if (failing.length === 0) return [];
  const first = failing[0];
  return [
    {
      severity: severityOf(c),
      component: c.id,
      title: `${c.displayName} image cannot be pulled`,
      detail:
        `Pod ${first.name}: ${first.state}. ${first.message ?? ''}`.trim(),
      fix: 'Check the image name and tag in the deploy values, and that the pull secret (gcp-artifact-registry) grants read access to that registry; then redeploy.',
    },
  ];
};
