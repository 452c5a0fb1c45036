/**
 * npm run shelter-token -- create <serviceId> [label]   prints a new token for a shelter, once
 * npm run shelter-token -- revoke <serviceId>           revokes every token of that shelter
 * Opens the configured database (DATA_DIR or DATABASE_URL) like the other scripts.
 */
import { CapacityError, CapacityRepository } from '../directory/capacity.repository.js';
import { DatabaseError, openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { configOrExit } from './cli.js';

const USAGE = 'Usage: npm run shelter-token -- create <serviceId> [label]\n       npm run shelter-token -- revoke <serviceId>';
const [command, serviceId, ...labelWords] = process.argv.slice(2);
if ((command !== 'create' && command !== 'revoke') || !serviceId || (command === 'revoke' && labelWords.length)) {
  console.error(USAGE);
  process.exit(2);
}

const config = configOrExit();
let db;
try {
  db = await openDatabase(config.db);
  await migrate(db);
} catch (err) {
  if (err instanceof DatabaseError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const capacity = new CapacityRepository(db);
try {
  if (command === 'create') {
    const { token, label } = await capacity.createToken(serviceId, labelWords.join(' ') || undefined);
    // The token goes to stdout alone on its line (easy to pipe); the advice goes to stderr.
    console.error(`New token for ${serviceId} (${label}). It is shown only this once: store it safely (a password manager),`);
    console.error('The label is shown as "updated by" with every figure: name a role, never a person.');
    console.error('Never send the token by e-mail or chat. Send it as "Authorization: Bearer <token>" to PUT /api/capacity/' + serviceId + '.');
    console.log(token);
  } else {
    const n = await capacity.revokeTokens(serviceId);
    console.log(`Revoked ${n} token(s) of ${serviceId}.`);
  }
} catch (err) {
  if (err instanceof CapacityError) {
    console.error(err.message);
    process.exitCode = 1;
  } else throw err;
} finally {
  await db.close();
}
