// Request bodies and query strings of the tool API, validated with zod at the boundary.
import { z } from 'zod'
import { AgentIdSchema } from '../../../src-preload/contract'
import { RelativePathSchema } from '../tasks/types'

const Id = z.guid()
const Name = z.string().trim().min(1).max(500)
const LongText = z.string().min(1).max(1_000_000)
const Ref = z.string().min(1).max(255)

export const SpawnBodySchema = z.object({
  name: Name,
  plan: LongText,
  parentTaskId: Id.optional(),
  checkpointSha: z.string().regex(/^[0-9a-fA-F]{7,64}$/, 'must be a commit sha').optional(),
  repoUrl: z.string().min(1).max(4096).optional(),
  /** The subtask's agent CLI (absent: the configured default). */
  agent: AgentIdSchema.optional(),
}).strict()

export const BranchBodySchema = z.object({ name: Ref, from: Ref.optional() }).strict()
export const MergeBodySchema = z.object({ taskId: Id, to: Ref.optional(), squash: z.boolean().default(false) }).strict()
export const PullRequestBodySchema = z.object({ branch: Ref, title: z.string().min(1).max(500), body: z.string().max(200_000).optional(), base: Ref.optional() }).strict()
export const CheckpointBodySchema = z.object({ message: z.string().min(1).max(10_000) }).strict()
export const PhaseBodySchema = z.object({ phase: z.string().min(1).max(50) }).strict()
export const EmptyBodySchema = z.object({}).strict()
export const AskBodySchema = z.object({
  question: z.string().min(1).max(100_000),
  choices: z.array(z.string().max(1000)).max(50).optional(),
  context: z.string().max(100_000).optional(),
  timeoutSeconds: z.number().int().min(1).max(7 * 24 * 3600).optional(),
}).strict()

export const FileCreateBodySchema = z.object({ name: Name, content: z.string().max(4_000_000) }).strict()
export const FileUpdateBodySchema = z.object({ content: z.string().max(4_000_000) }).strict()
export const ReportBodySchema = z.object({ text: LongText }).strict()
export const CompletionBodySchema = z.object({ files: z.array(RelativePathSchema).max(10_000).default([]), code: z.boolean().default(false) }).strict()

export const SubtaskBodySchema = z.object({
  name: Name,
  plan: LongText,
  continueFrom: Id.optional(),
  files: z.array(RelativePathSchema).max(10_000).optional(),
}).strict()
export const DoneBodySchema = z.object({ summary: z.string().max(1_000_000) }).strict()

/** `?timeout=` / `?wait=` in seconds (fractions allowed), clamped by the server. */
export const SecondsQuery = z.coerce.number().min(0).max(7 * 24 * 3600)
