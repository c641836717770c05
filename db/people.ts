import type { Pool, PoolClient } from 'pg';
import type { Actor } from '../domain/case';
import {
  documentKeys,
  documentNumberKey,
  documentTypes,
  nameKey,
  phoneKey,
  possibleDuplicateThreshold,
  scoreMatch,
  type MatchReason,
  type PersonDocument,
} from '../domain/person-matching';
import type { Principal } from '../domain/principal';
import type { DisplacementStatus, PersonRole } from '../domain/vocabulary';
import { scopeCondition } from './case-list';
import type { Reader } from './cases';
import { withTransaction } from './pool';

export type { DisplacementStatus, PersonRole } from '../domain/vocabulary';

export interface PersonDetails {
  fullName: string;
  birthDate?: string;
  phone?: string;
  displacementStatus?: DisplacementStatus;
  documents?: PersonDocument[];
}

export interface PersonInput extends PersonDetails {
  personId: string;
  role: PersonRole;
  relation?: string;
}

/** A correction: the fields given replace the current ones; null clears an optional one. */
export interface PersonCorrection {
  fullName?: string;
  birthDate?: string | null;
  phone?: string | null;
  displacementStatus?: DisplacementStatus | null;
  documents?: PersonDocument[];
  relation?: string;
}

export interface PersonView {
  personId: string;
  role: PersonRole;
  relation?: string;
  fullName: string;
  birthDate?: string;
  phone?: string;
  displacementStatus?: DisplacementStatus;
  documents: PersonDocument[];
  version: number;
  updatedAt?: string;
  updatedBy?: string;
  removedAt?: string;
  removedBy?: string;
  /** People a supervisor decided are the same person (person_links). */
  sameAs: string[];
}

export interface PersonVersion {
  version: number;
  fullName: string;
  birthDate?: string;
  phone?: string;
  displacementStatus?: DisplacementStatus;
  documents: PersonDocument[];
  relation?: string;
  at: string;
  actor?: Actor;
  reason?: string;
}

export interface SearchCriteria {
  name?: string;
  birthDate?: string;
  phone?: string;
  document?: string;
  documentType?: PersonDocument['type'];
}

export interface FoundPerson extends Omit<PersonView, 'sameAs'> {
  caseId: string;
}

export interface PossibleDuplicate {
  /** The person on this case. */
  personId: string;
  /** The person on another case in the caller's scope who is probably the same. */
  match: FoundPerson;
  score: number;
  reasons: MatchReason[];
  /** 'linked' once a supervisor decided they are the same person; dismissed matches are not listed. */
  status: 'open' | 'linked';
}

export type Decision = 'same_person' | 'not_same_person';

/** The values of a person as stored, with the keys that search and matching compare. */
export function personRow(p: PersonDetails) {
  const documents = p.documents ?? [];
  return {
    fullName: p.fullName,
    birthDate: p.birthDate ?? null,
    phone: p.phone ?? null,
    displacementStatus: p.displacementStatus ?? null,
    documents,
    nameKey: nameKey(p.fullName),
    phoneKey: p.phone ? phoneKey(p.phone) : null,
    documentKeys: documentKeys(documents),
  };
}

const dateOnly = (d: Date | string | null) =>
  d === null ? undefined : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

interface PersonRowOut {
  person_id: string;
  role: PersonRole;
  relation: string | null;
  full_name: string;
  birth_date: string | null;
  phone: string | null;
  displacement_status: DisplacementStatus | null;
  documents: PersonDocument[];
  version: number;
  updated_at: Date | null;
  updated_by: string | null;
  removed_at: Date | null;
  removed_by: string | null;
}
const personColumns = `p.person_id, cp.role, cp.relation, p.full_name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.phone, p.displacement_status,
  p.documents, p.version, p.updated_at, p.updated_by, cp.removed_at, cp.removed_by`;
function personOf(x: PersonRowOut): Omit<PersonView, 'sameAs'> {
  return {
    personId: x.person_id,
    role: x.role,
    relation: x.relation ?? undefined,
    fullName: x.full_name,
    birthDate: dateOnly(x.birth_date),
    phone: x.phone ?? undefined,
    displacementStatus: x.displacement_status ?? undefined,
    documents: x.documents,
    version: x.version,
    updatedAt: x.updated_at?.toISOString(),
    updatedBy: x.updated_by ?? undefined,
    removedAt: x.removed_at?.toISOString(),
    removedBy: x.removed_by ?? undefined,
  };
}

/** The newest decision on each pair of people (person_links keeps them all). */
const latestLinks = `(SELECT DISTINCT ON (person_id, other_person_id) person_id, other_person_id, decision FROM person_links ORDER BY person_id, other_person_id, link_id DESC)`;

/**
 * People on cases. Their personal data lives only here (never in workflow histories, logs or
 * webhooks). Every read is logged in case_reads and every change in case_people_changes (both in
 * the case's audit trail); a correction adds a version in person_versions, so nothing is lost.
 */
export function createPeopleRepository(pool: Pool) {
  const logReads = (q: Pool | PoolClient, caseIds: string[], what: string, reader: Reader) =>
    q.query(
      `INSERT INTO case_reads (case_id, actor_kind, actor_id, what, request_id) SELECT DISTINCT unnest($1::uuid[]), $2, $3, $4, $5`,
      [caseIds, reader.actor.kind, reader.actor.id, what, reader.requestId ?? null],
    );
  const recordChange = (
    q: PoolClient,
    c: { caseId: string; personId: string; action: string; details: Record<string, unknown> },
    actor: Actor,
    requestId?: string,
  ) =>
    q.query(
      `INSERT INTO case_people_changes (case_id, person_id, action, actor_kind, actor_id, details, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [c.caseId, c.personId, c.action, actor.kind, actor.id, JSON.stringify(c.details), requestId ?? null],
    );

  /** The people of a case in the caller's scope who are on no other case of theirs; shared by search and matching. */
  const inScope = (principal: Principal, arg: (v: unknown) => string) => {
    const scope = scopeCondition(principal, arg);
    return `cp.removed_at IS NULL${scope ? ` AND (${scope})` : ''}`;
  };

  return {
    /**
     * Adds people to a case; ids are derived from the case (or the request), so a retried request
     * adds nobody twice. With `change`, each one added is recorded as a change of the case.
     */
    async addToCase(
      caseId: string,
      people: PersonInput[],
      actor: Actor,
      change?: { requestId?: string },
    ): Promise<string[]> {
      if (people.length === 0) return [];
      const input = people.map((p) => ({
        personId: p.personId,
        role: p.role,
        relation: p.relation ?? null,
        ...personRow(p),
      }));
      return withTransaction(pool, async (client) => {
        const r = await client.query<{ person_id: string }>(
          `WITH input AS (
             SELECT * FROM jsonb_to_recordset($2::jsonb)
               AS x("personId" uuid, role text, relation text, "fullName" text, "birthDate" date, phone text, "displacementStatus" text,
                    documents jsonb, "nameKey" text, "phoneKey" text, "documentKeys" text[])
           ), added AS (
             INSERT INTO people (person_id, full_name, birth_date, phone, displacement_status, documents, name_key, phone_key, document_keys, created_by)
             SELECT "personId", "fullName", "birthDate", phone, "displacementStatus", documents, "nameKey", "phoneKey", "documentKeys", $4 FROM input
             ON CONFLICT (person_id) DO NOTHING
             RETURNING person_id
           ), versions AS (
             INSERT INTO person_versions (person_id, version, full_name, birth_date, phone, displacement_status, documents, case_id, relation, actor_kind, actor_id)
             SELECT i."personId", 1, i."fullName", i."birthDate", i.phone, i."displacementStatus", i.documents, $1, i.relation, $3, $4
               FROM input i JOIN added a ON a.person_id = i."personId"
           )
           INSERT INTO case_people (case_id, person_id, role, relation, added_at, added_by)
           SELECT $1, "personId", role, relation, now(), $4 FROM input
           ON CONFLICT (case_id, person_id) DO NOTHING
           RETURNING person_id`,
          [caseId, JSON.stringify(input), actor.kind, actor.id],
        );
        const added = r.rows.map((x) => x.person_id);
        if (change) {
          for (const personId of added)
            await recordChange(
              client,
              { caseId, personId, action: 'household_member_added', details: { personId, version: 1 } },
              actor,
              change.requestId,
            );
        }
        return added;
      });
    },

    /** The people of a case (removed household members too, marked), client first; the read is logged. */
    async listForCase(caseId: string, reader: Reader): Promise<PersonView[]> {
      const r = await pool.query<PersonRowOut & { same_as: string[] }>(
        `WITH logged AS (
           INSERT INTO case_reads (case_id, actor_kind, actor_id, what, request_id) SELECT case_id, $2, $3, 'people', $4 FROM cases WHERE case_id = $1
         )
         SELECT ${personColumns},
                ARRAY(SELECT CASE WHEN l.person_id = p.person_id THEN l.other_person_id ELSE l.person_id END
                        FROM ${latestLinks} l
                       WHERE p.person_id IN (l.person_id, l.other_person_id) AND l.decision = 'same_person') AS same_as
           FROM case_people cp JOIN people p USING (person_id)
          WHERE cp.case_id = $1
          ORDER BY cp.role, cp.added_at NULLS FIRST, p.created_at, p.person_id`,
        [caseId, reader.actor.kind, reader.actor.id, reader.requestId ?? null],
      );
      return r.rows.map((x) => ({ ...personOf(x), sameAs: x.same_as }));
    },

    /** Every version of a person on a case, oldest first (undefined if the person is not on it); the read is logged. */
    async versions(caseId: string, personId: string, reader: Reader): Promise<PersonVersion[] | undefined> {
      const on = await pool.query('SELECT 1 FROM case_people WHERE case_id = $1 AND person_id = $2', [
        caseId,
        personId,
      ]);
      if (on.rowCount === 0) return undefined;
      await logReads(pool, [caseId], 'person_versions', reader);
      const r = await pool.query<{
        version: number;
        full_name: string;
        birth_date: string | null;
        phone: string | null;
        displacement_status: DisplacementStatus | null;
        documents: PersonDocument[];
        relation: string | null;
        at: Date;
        actor_kind: Actor['kind'] | null;
        actor_id: string;
        reason: string | null;
      }>(
        `SELECT version, full_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, phone, displacement_status, documents, relation, at, actor_kind, actor_id, reason
           FROM person_versions WHERE person_id = $1 ORDER BY version`,
        [personId],
      );
      return r.rows.map((x) => ({
        version: x.version,
        fullName: x.full_name,
        birthDate: dateOnly(x.birth_date),
        phone: x.phone ?? undefined,
        displacementStatus: x.displacement_status ?? undefined,
        documents: x.documents,
        relation: x.relation ?? undefined,
        at: x.at.toISOString(),
        actor: x.actor_kind ? { kind: x.actor_kind, id: x.actor_id } : undefined,
        reason: x.reason ?? undefined,
      }));
    },

    /**
     * Corrects a person on a case: a new version with the fields given, the earlier one kept, and a
     * change in the case's audit trail naming the fields (not their values). Nothing changes, and
     * nothing is recorded, when the correction repeats what is stored.
     */
    async correct(
      caseId: string,
      personId: string,
      fix: PersonCorrection,
      actor: Actor,
      opts: { reason?: string; requestId?: string } = {},
    ): Promise<
      | { outcome: 'corrected' | 'unchanged'; fields: string[] }
      | { outcome: 'not_found' }
      | { outcome: 'removed' }
      | { outcome: 'relation_of_client' }
    > {
      return withTransaction(pool, async (client) => {
        const r = await client.query<PersonRowOut>(
          `SELECT ${personColumns} FROM case_people cp JOIN people p USING (person_id) WHERE cp.case_id = $1 AND cp.person_id = $2 FOR UPDATE OF p, cp`,
          [caseId, personId],
        );
        const row = r.rows[0];
        if (!row) return { outcome: 'not_found' as const };
        if (row.removed_at) return { outcome: 'removed' as const };
        if (fix.relation !== undefined && row.role === 'client') return { outcome: 'relation_of_client' as const };
        const before = personOf(row);
        const after: PersonDetails & { relation?: string } = {
          fullName: fix.fullName ?? before.fullName,
          birthDate: fix.birthDate === null ? undefined : (fix.birthDate ?? before.birthDate),
          phone: fix.phone === null ? undefined : (fix.phone ?? before.phone),
          displacementStatus:
            fix.displacementStatus === null ? undefined : (fix.displacementStatus ?? before.displacementStatus),
          documents: fix.documents ?? before.documents,
          relation: fix.relation ?? before.relation,
        };
        const fields = (
          ['fullName', 'birthDate', 'phone', 'displacementStatus', 'documents', 'relation'] as const
        ).filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
        if (fields.length === 0) return { outcome: 'unchanged' as const, fields };
        const v = personRow(after);
        const version = before.version + 1;
        await client.query(
          `UPDATE people SET full_name = $2, birth_date = $3, phone = $4, displacement_status = $5, documents = $6, name_key = $7, phone_key = $8,
                             document_keys = $9, version = $10, updated_at = now(), updated_by = $11
            WHERE person_id = $1`,
          [
            personId,
            v.fullName,
            v.birthDate,
            v.phone,
            v.displacementStatus,
            JSON.stringify(v.documents),
            v.nameKey,
            v.phoneKey,
            v.documentKeys,
            version,
            actor.id,
          ],
        );
        if (fields.includes('relation'))
          await client.query('UPDATE case_people SET relation = $3 WHERE case_id = $1 AND person_id = $2', [
            caseId,
            personId,
            after.relation,
          ]);
        await client.query(
          `INSERT INTO person_versions (person_id, version, full_name, birth_date, phone, displacement_status, documents, case_id, relation, actor_kind, actor_id, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            personId,
            version,
            v.fullName,
            v.birthDate,
            v.phone,
            v.displacementStatus,
            JSON.stringify(v.documents),
            caseId,
            after.relation ?? null,
            actor.kind,
            actor.id,
            opts.reason ?? null,
          ],
        );
        await recordChange(
          client,
          {
            caseId,
            personId,
            action: 'person_corrected',
            details: { personId, fields, fromVersion: before.version, toVersion: version },
          },
          actor,
          opts.requestId,
        );
        return { outcome: 'corrected' as const, fields };
      });
    },

    /** Marks a household member removed from a case (the row and every version stay); the client cannot be removed. */
    async removeMember(
      caseId: string,
      personId: string,
      actor: Actor,
      opts: { reason?: string; requestId?: string } = {},
    ): Promise<'removed' | 'already_removed' | 'not_found' | 'client'> {
      return withTransaction(pool, async (client) => {
        const r = await client.query<{ role: PersonRole; removed_at: Date | null }>(
          'SELECT role, removed_at FROM case_people WHERE case_id = $1 AND person_id = $2 FOR UPDATE',
          [caseId, personId],
        );
        const row = r.rows[0];
        if (!row) return 'not_found';
        if (row.role === 'client') return 'client';
        if (row.removed_at) return 'already_removed';
        await client.query(
          'UPDATE case_people SET removed_at = now(), removed_by = $3, removal_reason = $4 WHERE case_id = $1 AND person_id = $2',
          [caseId, personId, actor.id, opts.reason ?? null],
        );
        await recordChange(
          client,
          { caseId, personId, action: 'household_member_removed', details: { personId } },
          actor,
          opts.requestId,
        );
        return 'removed';
      });
    },

    /**
     * People on the cases in the caller's scope (the same rule as lists: scopeCondition) who match
     * every criterion given: a name (by its transliterated key: part of it, or trigram-alike), a
     * birth date, a phone (as international digits), a document number (of any type unless one is
     * named). Each case a result comes from logs the read.
     */
    async search(principal: Principal, c: SearchCriteria, reader: Reader, limit = 50): Promise<FoundPerson[]> {
      const values: unknown[] = [];
      const arg = (v: unknown) => `$${values.push(v)}`;
      const where = [inScope(principal, arg)];
      let order = 'p.full_name';
      if (c.name) {
        const key = arg(nameKey(c.name));
        where.push(`(p.name_key LIKE '%' || ${key} || '%' OR ${key} <% p.name_key)`);
        order = `word_similarity(${key}, p.name_key) DESC, p.full_name`;
      }
      if (c.birthDate) where.push(`p.birth_date = ${arg(c.birthDate)}::date`);
      if (c.phone) where.push(`p.phone_key = ${arg(phoneKey(c.phone))}`);
      if (c.document) {
        const types = c.documentType ? [c.documentType] : documentTypes;
        where.push(`p.document_keys && ${arg(types.map((t) => `${t}:${documentNumberKey(c.document!)}`))}::text[]`);
      }
      const r = await pool.query<PersonRowOut & { case_id: string }>(
        `SELECT ${personColumns}, cp.case_id
           FROM people p JOIN case_people cp USING (person_id) JOIN cases c ON c.case_id = cp.case_id
          WHERE ${where.join(' AND ')}
          ORDER BY ${order}, cp.case_id, p.person_id
          LIMIT ${arg(limit)}`,
        values,
      );
      await logReads(pool, [...new Set(r.rows.map((x) => x.case_id))], 'people_search', reader);
      return r.rows.map((x) => ({ ...personOf(x), caseId: x.case_id }));
    },

    /**
     * The people on other cases in the caller's scope who are probably the same as someone on this
     * case: candidates narrowed in SQL (a trigram-alike name key, the same birth date, phone or
     * document), each scored by scoreMatch; listed from possibleDuplicateThreshold, best first, or
     * when linked already. Dismissed pairs are left out. The read is logged on this case and on
     * each case a match comes from.
     */
    async possibleDuplicates(caseId: string, principal: Principal, reader: Reader): Promise<PossibleDuplicate[]> {
      const values: unknown[] = [caseId];
      const arg = (v: unknown) => `$${values.push(v)}`;
      const r = await pool.query<
        PersonRowOut & {
          case_id: string;
          for_person_id: string;
          for_name: string;
          for_birth: string | null;
          for_phone: string | null;
          for_documents: PersonDocument[];
          decision: Decision | null;
        }
      >(
        `WITH mine AS (
           SELECT p.* FROM people p JOIN case_people cp USING (person_id) WHERE cp.case_id = $1 AND cp.removed_at IS NULL
         )
         SELECT ${personColumns}, cp.case_id, m.person_id AS for_person_id, m.full_name AS for_name, to_char(m.birth_date, 'YYYY-MM-DD') AS for_birth,
                m.phone AS for_phone, m.documents AS for_documents, l.decision
           FROM mine m
           JOIN people p ON p.person_id <> m.person_id
                        AND (p.name_key % m.name_key OR p.birth_date = m.birth_date OR p.phone_key = m.phone_key OR p.document_keys && m.document_keys)
           JOIN case_people cp ON cp.person_id = p.person_id AND cp.case_id <> $1
           JOIN cases c ON c.case_id = cp.case_id
           LEFT JOIN ${latestLinks} l ON l.person_id = LEAST(m.person_id, p.person_id) AND l.other_person_id = GREATEST(m.person_id, p.person_id)
          WHERE ${inScope(principal, arg)} AND p.person_id NOT IN (SELECT person_id FROM mine)
          -- Past the limit (a common birth date in a large scope), the likeliest are kept.
          ORDER BY p.document_keys && m.document_keys DESC, similarity(p.name_key, m.name_key) DESC NULLS LAST, p.person_id
          LIMIT 500`,
        values,
      );
      const found = r.rows
        .filter((x) => x.decision !== 'not_same_person')
        .map((x) => {
          const { score, reasons } = scoreMatch(
            {
              fullName: x.for_name,
              birthDate: dateOnly(x.for_birth),
              phone: x.for_phone ?? undefined,
              documents: x.for_documents,
            },
            {
              fullName: x.full_name,
              birthDate: dateOnly(x.birth_date),
              phone: x.phone ?? undefined,
              documents: x.documents,
            },
          );
          return {
            personId: x.for_person_id,
            match: { ...personOf(x), caseId: x.case_id },
            score,
            reasons,
            status: x.decision === 'same_person' ? ('linked' as const) : ('open' as const),
          };
        })
        .filter((d) => d.status === 'linked' || d.score >= possibleDuplicateThreshold)
        .sort((a, b) => b.score - a.score || a.match.personId.localeCompare(b.match.personId));
      await logReads(pool, [caseId], 'possible_duplicates', reader);
      await logReads(
        pool,
        found.map((d) => d.match.caseId),
        'possible_duplicate_of_other_case',
        reader,
      );
      return found;
    },

    /**
     * Records a supervisor's decision that a person on this case and one on another case in scope
     * are the same person, or not (person_links), with the score and reasons at the time, as a
     * change of both cases. Merges nothing.
     */
    async decide(
      caseId: string,
      personId: string,
      matchPersonId: string,
      decision: Decision,
      principal: Principal,
      opts: { note?: string; requestId?: string } = {},
    ): Promise<
      | {
          outcome: 'recorded';
          linkId: number;
          score: number;
          reasons: MatchReason[];
          matchCaseIds: string[];
          at: string;
        }
      | { outcome: 'person_not_found' }
      | { outcome: 'match_not_found' }
    > {
      return withTransaction(pool, async (client) => {
        const mine = await client.query<{
          full_name: string;
          birth_date: string | null;
          phone: string | null;
          documents: PersonDocument[];
        }>(
          `SELECT p.full_name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.phone, p.documents FROM people p JOIN case_people cp USING (person_id)
            WHERE cp.case_id = $1 AND cp.person_id = $2 AND cp.removed_at IS NULL`,
          [caseId, personId],
        );
        if (!mine.rows[0]) return { outcome: 'person_not_found' as const };
        const values: unknown[] = [matchPersonId, caseId];
        const arg = (v: unknown) => `$${values.push(v)}`;
        const other = await client.query<{
          full_name: string;
          birth_date: string | null;
          phone: string | null;
          documents: PersonDocument[];
          case_ids: string[];
        }>(
          `SELECT p.full_name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.phone, p.documents, array_agg(cp.case_id ORDER BY cp.case_id) AS case_ids
             FROM people p JOIN case_people cp USING (person_id) JOIN cases c ON c.case_id = cp.case_id
            WHERE p.person_id = $1 AND cp.case_id <> $2 AND ${inScope(principal, arg)}
            GROUP BY p.person_id`,
          values,
        );
        const o = other.rows[0];
        if (!o) return { outcome: 'match_not_found' as const };
        const m = mine.rows[0];
        const { score, reasons } = scoreMatch(
          {
            fullName: m.full_name,
            birthDate: dateOnly(m.birth_date),
            phone: m.phone ?? undefined,
            documents: m.documents,
          },
          {
            fullName: o.full_name,
            birthDate: dateOnly(o.birth_date),
            phone: o.phone ?? undefined,
            documents: o.documents,
          },
        );
        const [a, b] = personId < matchPersonId ? [personId, matchPersonId] : [matchPersonId, personId];
        const actor = principal.actor;
        const link = await client.query<{ link_id: string; at: Date }>(
          `INSERT INTO person_links (person_id, other_person_id, decision, score, reasons, case_id, actor_kind, actor_id, note)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING link_id, at`,
          [a, b, decision, score, JSON.stringify(reasons), caseId, actor.kind, actor.id, opts.note ?? null],
        );
        const linkId = Number(link.rows[0]!.link_id);
        const action = decision === 'same_person' ? 'possible_duplicate_linked' : 'possible_duplicate_dismissed';
        await recordChange(
          client,
          {
            caseId,
            personId,
            action,
            details: { personId, otherPersonId: matchPersonId, otherCaseIds: o.case_ids, score, linkId },
          },
          actor,
          opts.requestId,
        );
        for (const otherCase of o.case_ids) {
          await recordChange(
            client,
            {
              caseId: otherCase,
              personId: matchPersonId,
              action,
              details: { personId: matchPersonId, otherPersonId: personId, otherCaseIds: [caseId], score, linkId },
            },
            actor,
            opts.requestId,
          );
        }
        return {
          outcome: 'recorded' as const,
          linkId,
          score,
          reasons,
          matchCaseIds: o.case_ids,
          at: link.rows[0]!.at.toISOString(),
        };
      });
    },

    /** Computes the search keys of people recorded before they existed (migration 007); run at start, idempotent. */
    async backfillKeys(batch = 500): Promise<number> {
      let done = 0;
      for (;;) {
        const r = await pool.query<{
          person_id: string;
          full_name: string;
          phone: string | null;
          documents: PersonDocument[];
        }>('SELECT person_id, full_name, phone, documents FROM people WHERE name_key IS NULL LIMIT $1', [batch]);
        if (r.rows.length === 0) return done;
        const rows = r.rows.map((x) => ({
          personId: x.person_id,
          ...personRow({ fullName: x.full_name, phone: x.phone ?? undefined, documents: x.documents }),
        }));
        await pool.query(
          `UPDATE people p SET name_key = x."nameKey", phone_key = x."phoneKey", document_keys = x."documentKeys"
             FROM jsonb_to_recordset($1::jsonb) AS x("personId" uuid, "nameKey" text, "phoneKey" text, "documentKeys" text[])
            WHERE p.person_id = x."personId"`,
          [JSON.stringify(rows)],
        );
        done += rows.length;
      }
    },
  };
}
export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
