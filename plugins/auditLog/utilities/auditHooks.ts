import type { CollectionConfig, GlobalConfig } from 'payload'

import {
  getAuditAfterChangeHook,
  getAuditAfterDeleteHook,
  getAuditBeforeChangeHook,
  getAuditGlobalAfterChangeHook,
} from '../hooks/documentChanges'
import {
  getAuditAfterLoginHook,
  getAuditAfterLogoutHook,
  getAuditLoginAttemptHook,
  getAuditUnlockHook,
} from '../hooks/logins'
import { getAuditReadHook } from '../hooks/reads'
import type { AuditContext } from '../types'
import { appendHooks } from '../../pluginKit'

type CollectionHooksArgs = {
  collection: CollectionConfig
  context: AuditContext
  isAudited: boolean
  isReadAudited: boolean
}

/** A collection with the audit hooks it needs appended: changes, sign-ins (auth only), reads. */
export const withCollectionAuditHooks = ({
  collection,
  context,
  isAudited,
  isReadAudited,
}: CollectionHooksArgs): CollectionConfig => {
  const isAuditedAuth = isAudited && Boolean(collection.auth)
  return appendHooks(collection, {
    beforeChange: isAudited ? [getAuditBeforeChangeHook()] : [],
    afterChange: isAudited ? [getAuditAfterChangeHook(context)] : [],
    afterDelete: isAudited ? [getAuditAfterDeleteHook(context)] : [],
    beforeOperation: isAuditedAuth ? [getAuditLoginAttemptHook()] : [],
    afterLogin: isAuditedAuth ? [getAuditAfterLoginHook(context)] : [],
    afterLogout: isAuditedAuth ? [getAuditAfterLogoutHook(context)] : [],
    afterOperation: [
      ...(isReadAudited ? [getAuditReadHook(context)] : []),
      ...(isAuditedAuth ? [getAuditUnlockHook(context)] : []),
    ],
  })
}

/** A global with the audit hook for its updates appended. */
export const withGlobalAuditHooks = (global: GlobalConfig, context: AuditContext): GlobalConfig =>
  appendHooks(global, { afterChange: [getAuditGlobalAfterChangeHook(context)] })
