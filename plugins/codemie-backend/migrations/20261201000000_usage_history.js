/*
 * Usage samples of each CodeMie environment's components, taken every few minutes by the
 * status API's sampler; the history plots and the sizing advice read them. Old rows are pruned
 * after the retention window (codemie.status.historyRetentionDays).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('codemie_usage_samples', table => {
    table.comment(
      'Per-component resource usage of CodeMie environments over time',
    );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('resource:<namespace>/<name>');
    // Epoch milliseconds: compares and sorts the same on SQLite and PostgreSQL.
    table
      .bigInteger('sampled_at')
      .notNullable()
      .comment('when the cluster was read, epoch ms');
    table
      .string('component', 64)
      .notNullable()
      .comment('status component id, e.g. codemie-api');
    table
      .integer('pods')
      .notNullable()
      .comment('live pods counted in the requests');
    table
      .double('cpu_usage')
      .nullable()
      .comment('millicores, all pods; null without metrics');
    table.double('cpu_requests').notNullable().comment('millicores, all pods');
    table
      .double('memory_usage')
      .nullable()
      .comment('MiB, all pods; null without metrics');
    table.double('memory_requests').notNullable().comment('MiB, all pods');
    table.double('storage_used_gib').nullable();
    table.double('storage_capacity_gib').nullable();
    table.primary(['entity_ref', 'sampled_at', 'component']);
    table.index(['sampled_at'], 'codemie_usage_samples_sampled_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('codemie_usage_samples');
};
