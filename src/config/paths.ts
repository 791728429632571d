/** Where the configuration lives inside a repository, and in the organisation's `.github` repository. */
export const CONFIG_PATH = ".github/shared-schema.yml";
