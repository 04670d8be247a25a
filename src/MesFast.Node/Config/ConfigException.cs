namespace MesFast.Node.Config;

/// <summary>A config, genesis or key file is missing or wrong; the message names the file, the field and the problem.</summary>
internal sealed class ConfigException(string message) : Exception(message);
