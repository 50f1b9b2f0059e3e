/** An enterprise's authorisation of a customs broker (委托报关); dates are inclusive UTC days. */
export interface DelegationTable {
  id: string;
  /** The enterprise granting it (the importer or exporter). */
  principal: string;
  /** The customs broker it authorises. */
  agent: string;
  /** JSON array of document type ids, sorted. */
  doc_types: string;
  /** JSON array of `import` and/or `export`. */
  directions: string;
  valid_from: string;
  valid_to: string;
  created_at: string;
  revoked_at: string | null;
  /** The principal, or the agent renouncing. */
  revoked_by: string | null;
}

/** The delegations module's table. Only the module's repositories touch them. */
export interface DelegationTables {
  delegations: DelegationTable;
}
