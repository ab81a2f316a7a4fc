namespace PostalPeak.Duty;

/// <summary>
/// A Vietnamese telephone number as people write it ("0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678",
/// "0237 3852 123", "1900 545481"), kept in one canonical form: "+84" and the national number for mobiles and
/// landlines, the plain digits for the 1900/1800 service numbers, which cannot be dialled from abroad.
/// </summary>
public sealed record VietnamesePhone(string Canonical, VietnamesePhone.Kinds Kind)
{
    public enum Kinds
    {
        Mobile,
        Landline,
        Service,
    }

    /// <summary>The number as written in Vietnam, grouped: "0912 345 678", "024 3825 1234", "0237 3852 123", "1900 545481".</summary>
    public string Display
    {
        get
        {
            if (Kind == Kinds.Service)
                return Canonical[..4] + " " + Canonical[4..];
            var national = "0" + Canonical[3..];
            if (Kind == Kinds.Mobile)
                return $"{national[..4]} {national[4..7]} {national[7..]}";
            // Hà Nội (024) and TP. Hồ Chí Minh (028) have two-digit area codes and eight-digit numbers; the others three and seven.
            return national[1] == '2' && national[2] is '4' or '8'
                ? $"{national[..3]} {national[3..7]} {national[7..]}"
                : $"{national[..4]} {national[4..8]} {national[8..]}";
        }
    }

    /// <summary>What a tel: link dials.</summary>
    public string Tel => "tel:" + Canonical;

    public static bool TryParse(string? text, out VietnamesePhone phone)
    {
        phone = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
            return false;
        var s = text.Trim();
        var plus = s[0] == '+';
        if (plus)
            s = s[1..];
        Span<char> digits = stackalloc char[s.Length];
        var count = 0;
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c))
                digits[count++] = c;
            else if (c is not (' ' or '.' or '-' or '(' or ')' or '\u00A0'))
                return false;
        }
        var all = new string(digits[..count]);
        if (all.Length == 0)
            return false;

        string national;
        if (plus)
        {
            if (!all.StartsWith("84", StringComparison.Ordinal))
                return false;
            national = all[2..];
            // "+84 (0)912 345 678": the trunk 0 written after the country code.
            if (national.StartsWith('0'))
                national = national[1..];
        }
        else if (all.StartsWith("1900", StringComparison.Ordinal) || all.StartsWith("1800", StringComparison.Ordinal))
        {
            // 1900 xxxx, 1900 xxxxxx (and the same for the toll-free 1800).
            if (all.Length is not (8 or 10))
                return false;
            phone = new VietnamesePhone(all, Kinds.Service);
            return true;
        }
        else if (all.StartsWith('0'))
            national = all[1..];
        else if (all.StartsWith("84", StringComparison.Ordinal) && all.Length is 11 or 12)
            national = all[2..];
        else
            return false;

        // Mobiles since 2018: 9 digits after the 0, starting 3, 5, 7, 8 or 9. Landlines since 2017: 02 + area + number, 10 digits after the 0.
        Kinds kind;
        if (national.Length == 9 && national[0] is '3' or '5' or '7' or '8' or '9')
            kind = Kinds.Mobile;
        else if (national.Length == 10 && national[0] == '2')
            kind = Kinds.Landline;
        else
            return false;
        phone = new VietnamesePhone("+84" + national, kind);
        return true;
    }

    /// <summary>A canonical number as stored, for display; anything else (never expected) as it is.</summary>
    public static string DisplayOf(string canonical) => TryParse(canonical, out var phone) ? phone.Display : canonical;

    /// <summary>The tel: link of a stored number.</summary>
    public static string TelOf(string canonical) => TryParse(canonical, out var phone) ? phone.Tel : "tel:" + canonical;
}
