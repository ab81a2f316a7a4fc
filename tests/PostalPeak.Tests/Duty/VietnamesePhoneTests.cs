using PostalPeak.Duty;

namespace PostalPeak.Tests.Duty;

public sealed class VietnamesePhoneTests
{
    [Theory]
    [InlineData("0912 345 678", "+84912345678", "0912 345 678")]
    [InlineData("0912.345.678", "+84912345678", "0912 345 678")]
    [InlineData("0912-345-678", "+84912345678", "0912 345 678")]
    [InlineData("+84 912 345 678", "+84912345678", "0912 345 678")]
    [InlineData("+84 (0) 912 345 678", "+84912345678", "0912 345 678")]
    [InlineData("84912345678", "+84912345678", "0912 345 678")]
    [InlineData("0388123456", "+84388123456", "0388 123 456")]
    [InlineData(" 0912345678 ", "+84912345678", "0912 345 678")]
    public void MobilesWrittenAnyUsualWayBecomeOneCanonicalNumber(string text, string canonical, string display)
    {
        Assert.True(VietnamesePhone.TryParse(text, out var phone));
        Assert.Equal(canonical, phone.Canonical);
        Assert.Equal(VietnamesePhone.Kinds.Mobile, phone.Kind);
        Assert.Equal(display, phone.Display);
        Assert.Equal("tel:" + canonical, phone.Tel);
    }

    [Theory]
    [InlineData("0237 3852 123", "+842373852123", "0237 3852 123")]
    [InlineData("(0237) 3852.123", "+842373852123", "0237 3852 123")]
    [InlineData("024 3825 1234", "+842438251234", "024 3825 1234")]
    [InlineData("+84 28 3829 1234", "+842838291234", "028 3829 1234")]
    public void LandlinesKeepTheirAreaCode(string text, string canonical, string display)
    {
        Assert.True(VietnamesePhone.TryParse(text, out var phone));
        Assert.Equal(canonical, phone.Canonical);
        Assert.Equal(VietnamesePhone.Kinds.Landline, phone.Kind);
        Assert.Equal(display, phone.Display);
    }

    [Theory]
    [InlineData("1900 545481", "1900545481", "1900 545481")]
    [InlineData("1900.54.54.81", "1900545481", "1900 545481")]
    [InlineData("1800 1234", "18001234", "1800 1234")]
    [InlineData("19001234", "19001234", "1900 1234")]
    public void ShortHotlinesAreKeptAsTheirDigits(string text, string canonical, string display)
    {
        Assert.True(VietnamesePhone.TryParse(text, out var phone));
        Assert.Equal(canonical, phone.Canonical);
        Assert.Equal(VietnamesePhone.Kinds.Service, phone.Kind);
        Assert.Equal(display, phone.Display);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("không có")]
    [InlineData("0912 345 67")]
    [InlineData("0912 345 6789")]
    [InlineData("0112 345 678")]
    [InlineData("+1 202 555 0100")]
    [InlineData("912345678")]
    [InlineData("1900 54548")]
    [InlineData("0912/345/678")]
    [InlineData("0912345678 ext 12")]
    [InlineData("+")]
    [InlineData("0237 385 212")]
    public void GarbageIsRefused(string? text)
    {
        Assert.False(VietnamesePhone.TryParse(text, out _));
    }
}
