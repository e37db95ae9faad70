import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { CodemieStore } from '../database/CodemieStore';
import { environmentEntity } from './environmentEntity';

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
      .filter(r => r.state !== 'destroyed')
      .filter(r => (r.spec as { input?: unknown })?.input)
      .map(record => ({
        entity: environmentEntity(record, this.options),
        locationKey: `codemie-environment:${record.environmentRef}`,
      }));
    await this.connection.applyMutation({ type: 'full', entities });
  }
}
