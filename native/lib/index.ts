// zerocopy: sendfile(2) and mmap(2) for Node.js, with streaming fallbacks.
export { sendFile, type SendTarget } from './send-file';
export { mapFile } from './map-file';
export { mapFileAsync } from './map-file-async';
export { available, type Availability } from './native';
export type { SendMethod, SendResult } from './result';
export type { FileInput, SendFileOptions, MapFileOptions, RangeOptions } from './options';
export { MAP_FILE_CHANNEL, SEND_FILE_CHANNEL, type MapFileMessage, type MapMethod, type SendFileMessage, type TargetKind } from './observe';
export { SMALL_HTTP_BODY_BYTES, SMALL_SOCKET_BYTES } from './thresholds';
