/** A signed-in user as the relay knows them: Entra tenant and object id. */
export interface RelayUser {
  tid: string;
  oid: string;
}

export function sameUser(a: RelayUser, b: RelayUser): boolean {
  return a.tid === b.tid && a.oid === b.oid;
}
