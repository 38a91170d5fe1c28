import * as migration_20261125_180303_initial from './20261125_180303_initial';
import * as migration_20261125_183114_media_storage_prefix from './20261125_183114_media_storage_prefix';
import * as migration_20261125_190645_audit_logs from './20261125_190645_audit_logs';
import * as migration_20261125_204815_login_rate_limits from './20261125_204815_login_rate_limits';
import * as migration_20261125_211135_users_two_factor from './20261125_211135_users_two_factor';
import * as migration_20261125_212000_ops_job_runs from './20261125_212000_ops_job_runs';
import * as migration_20261206_103226_audit_draft_save_unlock from './20261206_103226_audit_draft_save_unlock';
import * as migration_20261206_140710_audit_retention_job from './20261206_140710_audit_retention_job';
import * as migration_20261206_202710_editorial_tools_and_texts_parent_index from './20261206_202710_editorial_tools_and_texts_parent_index';

export const migrations = [
  {
    up: migration_20261125_180303_initial.up,
    down: migration_20261125_180303_initial.down,
    name: '20261125_180303_initial',
  },
  {
    up: migration_20261125_183114_media_storage_prefix.up,
    down: migration_20261125_183114_media_storage_prefix.down,
    name: '20261125_183114_media_storage_prefix',
  },
  {
    up: migration_20261125_190645_audit_logs.up,
    down: migration_20261125_190645_audit_logs.down,
    name: '20261125_190645_audit_logs',
  },
  {
    up: migration_20261125_204815_login_rate_limits.up,
    down: migration_20261125_204815_login_rate_limits.down,
    name: '20261125_204815_login_rate_limits',
  },
  {
    up: migration_20261125_211135_users_two_factor.up,
    down: migration_20261125_211135_users_two_factor.down,
    name: '20261125_211135_users_two_factor',
  },
  {
    up: migration_20261125_212000_ops_job_runs.up,
    down: migration_20261125_212000_ops_job_runs.down,
    name: '20261125_212000_ops_job_runs',
  },
  {
    up: migration_20261206_103226_audit_draft_save_unlock.up,
    down: migration_20261206_103226_audit_draft_save_unlock.down,
    name: '20261206_103226_audit_draft_save_unlock',
  },
  {
    up: migration_20261206_140710_audit_retention_job.up,
    down: migration_20261206_140710_audit_retention_job.down,
    name: '20261206_140710_audit_retention_job',
  },
  {
    up: migration_20261206_202710_editorial_tools_and_texts_parent_index.up,
    down: migration_20261206_202710_editorial_tools_and_texts_parent_index.down,
    name: '20261206_202710_editorial_tools_and_texts_parent_index'
  },
];
