/**
 * The tag of CodeMie's images the record says is deployed (`latest` unless a version was set).
 *
 * @public
 */
export function recordedImageVersion(outputs: unknown): string {
  return (
    (outputs as { deployed?: { images?: { version?: string } } } | undefined)
      ?.deployed?.images?.version ?? 'latest'
  );
}
