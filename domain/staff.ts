import type { Role } from './principal';

/** The roles a person holds (every role but a tool's): what a staff member's key may carry. */
export const staffRoles = ['case_manager', 'supervisor', 'head', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof staffRoles)[number];

/** A member of staff as the registry holds them (docs/DATA.md, `staff`). The name is personal data: never logged. */
export interface StaffMember {
  staffId: string;
  name: string;
  role: StaffRole;
  /** ISO 3166-2:UA code of the region they work in, if one. */
  region?: string;
  supervisorId?: string;
  /** A leaver is made inactive, never deleted: their cases can still be reassigned from them. */
  active: boolean;
  createdAt: string;
  updatedAt: string;
}
