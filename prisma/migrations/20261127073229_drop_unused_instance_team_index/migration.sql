-- DropIndex
DROP INDEX "WorkspaceInstance_teamId_startedAt_idx";
