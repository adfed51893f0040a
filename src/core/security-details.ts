// The "My account" page's third section: a new security question and answer, a new PIN,
// or both, after the current password and PIN. (A forgotten PIN is replaced on the reset
// page instead, after the emailed link and the security answer: resetPasswordByToken.)
import { writeAudit } from './audit.js';
import { proveOwner, type OwnerProof } from './account-proof.js';
import type { Actor, CoreDeps } from './deps.js';
import { normalizeAnswer } from './hashing.js';
import { checkPin } from './pin-policy.js';
import { ok, refuse, type Outcome, type Refusal } from './refusal.js';
import { consumeToken } from './tokens.js';

export interface SecurityDetailsChange extends OwnerProof {
  /** Both empty to keep the current question. */
  newQuestion: string;
  newAnswer: string;
  /** Empty to keep the current PIN. */
  newPin: string;
}

/** What the form asks, checked before any hash runs (a typo costs no try). */
export function checkSecurityDetails(input: Pick<SecurityDetailsChange, 'newQuestion' | 'newAnswer' | 'newPin'>): Refusal | null {
  const question = input.newQuestion.trim();
  const changesQuestion = question !== '' || input.newAnswer.trim() !== '';
  if (!changesQuestion && input.newPin === '') return refuse('security_nothing');
  if (changesQuestion && (question.length < 3 || question.length > 200 || normalizeAnswer(input.newAnswer).length < 3)) {
    return refuse('security_question_required');
  }
  return input.newPin === '' ? null : checkPin(input.newPin);
}

export async function changeSecurityDetails(deps: CoreDeps, actor: Actor, secret: string, input: SecurityDetailsChange): Promise<Outcome> {
  const invalid = checkSecurityDetails(input);
  if (invalid) return invalid;
  const proven = await proveOwner(deps, actor, secret, input);
  if (!proven.ok) return proven;
  const { account } = proven;
  const question = input.newQuestion.trim();
  const [answerHash, pinHash] = await Promise.all([
    question === '' ? undefined : deps.hasher.hash(normalizeAnswer(input.newAnswer)),
    input.newPin === '' ? undefined : deps.hasher.hash(input.newPin),
  ]);
  const used = await consumeToken(deps, secret, ['change_password']);
  if (!used.ok) return used;
  const now = deps.clock.now();
  await deps.db
    .updateTable('accounts')
    .set({
      ...(answerHash === undefined ? {} : { security_question: question, security_answer_hash: answerHash }),
      ...(pinHash === undefined ? {} : { pin_hash: pinHash }),
      updated_at: now,
    })
    .where('id', '=', account.id)
    .execute();
  await writeAudit(deps.db, now, {
    actor,
    action: 'change_security_details',
    targetAccountId: account.id,
    detail: { changed: [answerHash === undefined ? '' : 'question', pinHash === undefined ? '' : 'pin'].filter(Boolean).join('+') },
  });
  await deps.effects.sendEmail({ kind: 'security_changed', accountId: account.id, to: account.email, locale: account.locale, facts: { at: now } });
  return ok();
}
