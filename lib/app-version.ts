/**
 * The app's version, as package.json says (a test checks the two agree). It is written into
 * the live app_meta at every start, so every backup carries the version that made it; the
 * schema version, not this, decides whether a backup can be restored.
 */
export const APP_VERSION = "0.2.0";
