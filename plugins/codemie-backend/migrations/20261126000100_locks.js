/*
 * Leases that keep two tasks from provisioning or destroying the same environment at once, also
 * across backend replicas sharing one database.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('codemie_locks', table => {
    table.comment('Leases on environments held by running scaffolder tasks');
    table
      .string('lock_key', 255)
      .primary()
      .notNullable()
      .comment('<gcp project id>/<environment name>');
    table
      .string('holder', 255)
      .notNullable()
      .comment('who holds it: the task and action');
    table
      .string('token', 64)
      .notNullable()
      .comment('unique per acquisition; tells a holder its own lease');
    table.timestamp('acquired_at', { useTz: true }).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('renewed while the holder runs');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('codemie_locks');
};
