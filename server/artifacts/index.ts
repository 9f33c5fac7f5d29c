export { ensureArtifact, type EnsureArtifactOptions, type EnsuredArtifact } from './cache';
export { resolveArtifact, resolveFromTable, parseSha256Sums, mirrorPath } from './resolve';
export { TABLE, CNI_PLUGIN_NAMES, knownVersions, tableChecksum } from './table';
export { uploadArtifactFiles, type ArtifactUpload, type ArtifactUploadResult } from './upload';
export { ARCHES, COMPONENTS, ArtifactError, type Arch, type Component, type ArtifactRef, type Layout } from './types';
