// Migration 0006: the email correlation index exists only while an analysis needs it. Applied
// migrations are immutable: the store refuses a database whose recorded hash differs.
export default `
-- Only a correlation rule that matches on email reads this index, and few configurations have one;
-- every sync still paid for it (a random insert per user, ~0.2 s and 9 MiB per 100k-user snapshot
-- pair). An analysis with such a rule creates it again (see EMAIL_INDEX in analysis.repo), and from
-- then on ingest keeps it up to date as before.
DROP INDEX user_versions_email;
`;
