namespace Dropzone.ExoSetup.Engine { internal static class Placeholder {} }
