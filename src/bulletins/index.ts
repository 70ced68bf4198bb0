export { BulletinInputError } from "./check-input.js";
export { draftBulletin } from "./draft.js";
export type * from "./types.js";
