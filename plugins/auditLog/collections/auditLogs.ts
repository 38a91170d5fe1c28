import type { Access, CollectionConfig, FieldAccess } from 'payload'

import { componentPath } from '../components/paths'
import { auditActions } from '../defaults'

/** The admin component that shows a row's `changes` (a server component, nothing to load). */
export const auditChangesFieldPath = componentPath('AuditChangesField')

const nobody: Access = () => false
const anyUser: Access = ({ req }) => Boolean(req.user)

type AuditLogsArgs = { slug: string; readAccess?: Access; personalDataAccess?: FieldAccess }

/**
 * The audit trail. Rows are written only by the plugin's hooks (with access overridden): through
 * REST, GraphQL, the admin or the Local API with `overrideAccess: false`, nobody — admins
 * included — can create, change or delete them.
 */
export const getAuditLogsCollection = ({
  slug,
  readAccess = anyUser,
  personalDataAccess,
}: AuditLogsArgs): CollectionConfig => {
  const personal = personalDataAccess ? { access: { read: personalDataAccess } } : {}
  return {
    slug,
    labels: { singular: 'Audit entry', plural: 'Audit log' },
    admin: {
      useAsTitle: 'summary',
      defaultColumns: ['createdAt', 'action', 'collection', 'documentId', 'actorEmail', 'ip'],
      listSearchableFields: ['actorEmail', 'documentId', 'collection', 'requestId'],
      description: 'Every change to content and every sign-in, as it happened. Read-only.',
      group: 'Operations',
    },
    defaultSort: '-createdAt',
    access: { read: readAccess, create: nobody, update: nobody, delete: nobody },
    timestamps: true,
    fields: [
      { name: 'summary', type: 'text', admin: { readOnly: true } },
      {
        name: 'action',
        type: 'select',
        required: true,
        index: true,
        options: auditActions.map((action) => ({ label: action, value: action })),
      },
      { name: 'collection', type: 'text', index: true },
      { name: 'global', type: 'text', index: true },
      { name: 'documentId', type: 'text', index: true },
      { name: 'actorId', type: 'text', index: true },
      { name: 'actorEmail', type: 'text', index: true, ...personal },
      { name: 'actorRole', type: 'text' },
      { name: 'ip', type: 'text', ...personal },
      { name: 'userAgent', type: 'text', ...personal },
      { name: 'requestId', type: 'text', index: true },
      {
        name: 'changes',
        type: 'json',
        admin: {
          description:
            'Updates: the changed fields (path, before, after). Creates and deletes: a snapshot.',
          // Payload's JSON field is a code editor loaded from a public CDN: a table, read-only.
          components: { Field: auditChangesFieldPath },
        },
      },
    ],
  }
}
