import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  type CodemieEnvironmentStore,
  environmentEntity,
} from '@codemie-gcp/plugin-codemie-node';
import { environmentLocationRef } from '@codemie-gcp/plugin-codemie-common';

/**
 * Serves the environments the codemie backend provisioned as catalog entities, so a new
 * environment appears in the catalog without a Git repository, and a destroyed one disappears.
 *
 * @public
 */
export class CodemieEnvironmentProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly store: Pick<CodemieEnvironmentStore, 'listEnvironments'>,
    private readonly logger: LoggerService,
    private readonly options: { defaultSystem?: string } = {},
  ) {}

  /**
   * Refreshes after the codemie plugin announced a change (the catalog module subscribes to
   * `codemie.environments.changed`), so a new environment shows at once; a failure is logged and
   * the scheduled refresh catches up.
   */
  async onEnvironmentsChanged(): Promise<void> {
    await this.refresh().catch(e =>
      this.logger.warn(`CodeMie environments refresh failed: ${e}`),
    );
  }

  /** The provider's name in the catalog: `codemie-environments`. */
  getProviderName(): string {
    return 'codemie-environments';
  }

  /** Called by the catalog with the connection the provider emits entities through. */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    // Over the wire the codemie plugin may not answer yet while the backend starts: a failed
    // first read is logged, not a catalog that fails to start; the schedule reads again.
    await this.onEnvironmentsChanged();
  }

  /** Replaces the provider's entities with the environments recorded now. */
  async refresh(): Promise<void> {
    if (!this.connection) return;
    const records = await this.store.listEnvironments();
    const entities = records
      // Every environment that exists, in whatever state: a failed create shows in the catalog,
      // so its owners see it and can resume or destroy it.
      .filter(r => r.state !== 'gone')
      .filter(r => (r.spec as { input?: unknown })?.input)
      .map(record => ({
        entity: environmentEntity(record, this.options),
        locationKey: environmentLocationRef(record),
      }));
    await this.connection.applyMutation({ type: 'full', entities });
  }
}
