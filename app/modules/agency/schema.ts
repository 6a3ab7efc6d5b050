// The agency forms (admin pages), one schema per intent. Messages are keys of reports.errors.
import { z } from "zod";
import { cleanName } from "~/utils/text";
import { AGENCY_TYPES } from "./types";

const text = z.preprocess((v) => (typeof v === "string" ? v : ""), z.string());
const uuid = (message: string) => text.pipe(z.string().uuid(message));
const name = text
  .transform(cleanName)
  .pipe(z.string().min(1, "nameRequired").max(200, "nameTooLong"));
const headcount = text
  .transform((s) => s.trim())
  .refine((s) => s === "" || /^\d{1,7}$/.test(s), "headcountInvalid")
  .transform((s) => (s === "" ? null : Number(s)));

export const CreateAgencySchema = z.object({
  code: text
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/, "codeFormat")),
  name,
  type: z.enum(AGENCY_TYPES, { errorMap: () => ({ message: "typeRequired" }) }),
  parentId: text
    .transform((s) => (s === "" ? null : s))
    .pipe(z.string().uuid("parentRequired").nullable()),
  headcountManual: headcount,
});

// An unknown or missing intent (a hand-made post) still gets a message the page can show.
export const AgencyActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("update"), name, headcountManual: headcount }),
    z.object({ intent: z.literal("move"), parentId: uuid("parentRequired") }),
    z.object({
      intent: z.literal("merge"),
      targetId: uuid("targetRequired"),
      confirm: z.literal("yes", {
        errorMap: () => ({ message: "confirmRequired" }),
      }),
    }),
    z.object({
      intent: z.literal("deactivate"),
      confirm: z.literal("yes", {
        errorMap: () => ({ message: "confirmRequired" }),
      }),
    }),
    z.object({ intent: z.literal("reactivate") }),
  ],
  {
    errorMap: (issue, ctx) => ({
      message:
        issue.code === "invalid_union_discriminator"
          ? "invalid"
          : ctx.defaultError,
    }),
  }
);
