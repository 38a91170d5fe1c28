/** The plugin's server components for the admin panel (the package's `./rsc` export). */
export { AuditChangesField } from './components/AuditChangesField'
