// Who may see and manage whom lives in ONE module, app/modules/scope/scope.server.ts (people,
// agencies, reports and the role hierarchy); the auth pages import it from here as before.
export {
  hasRole,
  isAdmin,
  outranks,
  peopleScope,
  requireActOnPerson,
  requireAdmin,
  requirePeopleScope,
  usersInScope,
  type Actor,
  type PeopleScope,
  type PersonTarget,
  type RoleGrantView,
  type SomePeopleScope,
} from '~/modules/scope/scope.server'
