/** The file in the data folder that records the audit log's head hash outside the database. */
export const AUDIT_HEAD_FILE = 'audit-head.json';
