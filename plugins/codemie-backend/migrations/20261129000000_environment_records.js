/*
 * The environment record becomes the source of truth of an environment: which scaffolder task
 * holds it, who created it, its catalog entity and why its last step failed. States now follow
 * the lifecycle planned → provisioning → provisioned → deploying → ready / failed →
 * destroying → gone.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('codemie_environments', table => {
    table
      .string('task_id', 64)
      .nullable()
      .comment('the scaffolder task that holds the record (only it writes it)');
    table
      .string('created_by', 255)
      .nullable()
      .comment('user entity ref of whoever started the create');
    table
      .string('entity_ref', 255)
      .nullable()
      .comment(
        'resource:<project id>/<name>: the catalog entity it is served as',
      );
    table
      .text('last_error')
      .nullable()
      .comment('why the last step failed or stopped (no secrets)');
  });
  await knex('codemie_environments')
    .where({ state: 'destroyed' })
    .update({ state: 'gone' });
  await knex.raw(
    `UPDATE codemie_environments SET entity_ref = 'resource:' || environment_ref WHERE entity_ref IS NULL`,
  );
  await knex.schema.alterTable('codemie_environments', table => {
    table.unique(['entity_ref'], {
      indexName: 'codemie_environments_entity_ref_idx',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('codemie_environments', table => {
    table.dropUnique(['entity_ref'], 'codemie_environments_entity_ref_idx');
    table.dropColumn('task_id');
    table.dropColumn('created_by');
    table.dropColumn('entity_ref');
    table.dropColumn('last_error');
  });
};
