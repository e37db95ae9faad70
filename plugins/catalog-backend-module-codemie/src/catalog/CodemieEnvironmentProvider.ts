import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  CodemieStore,
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
    private readonly store: CodemieStore,
    private readonly logger: LoggerService,
    private readonly options: { defaultSystem?: string } = {},
  ) {
    // Changes made in this process show at once; other replicas' through `refresh` on a schedule.
    store.onEnvironmentsChanged(() => {
      this.refresh().catch(e =>
        this.logger.warn(`CodeMie environments refresh failed: ${e}`),
      );
    });
  }

  getProviderName(): string {
    return 'codemie-environments';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.refresh();
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
