namespace PostalPeak.Shell;

/// <summary>Marker for the UI strings: Text.resx is Vietnamese (the neutral language), Text.en.resx English.</summary>
public sealed class Text;
