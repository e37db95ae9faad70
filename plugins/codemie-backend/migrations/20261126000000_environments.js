/*
 * The environments the codemie backend has planned or provisioned: the catalog entity provider,
 * the status API and the destroy action read them from here, so an environment exists in the
 * portal without a Git repository.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('codemie_environments', table => {
    table.comment('CodeMie environments known to this portal');
    table
      .string('environment_ref', 255)
      .primary()
      .notNullable()
      .comment('<gcp project id>/<environment name>: unique per project');
    table.string('project_id', 64).notNullable();
    table.string('name', 64).notNullable();
    table.string('owner', 255).notNullable();
    table
      .string('state', 32)
      .notNullable()
      .comment('planned | provisioning | ready | failed | destroyed');
    table
      .text('spec')
      .notNullable()
      .comment('JSON: the validated inputs and the plan');
    table
      .text('outputs')
      .nullable()
      .comment('JSON: what provisioning and deploy produced (no secrets)');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('codemie_environments');
};
