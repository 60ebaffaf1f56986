// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the display's pure parts. Modes are filled in by hand from the
 * numbers IGT's kms_invalid_mode gives, and from a VESA mode; the CRC
 * cases build the expected frame pixel by pixel and take its crc32
 * directly, not through the code under test.
 */
#include <kunit/test.h>
#include <linux/crc32.h>
#include <linux/limits.h>

#include <drm/drm_fourcc.h>
#include <drm/drm_modes.h>
#include <drm/drm_rect.h>

#include "vgpu_drv.h"
#include "vgpu_tests.h"

/* VESA 1024x768@60: 65 MHz, 1344 x 806 in all. */
static void vesa_1024x768(struct drm_display_mode *m)
{
	*m = (struct drm_display_mode){
		.clock = 65000,
		.hdisplay = 1024, .hsync_start = 1048, .hsync_end = 1184,
		.htotal = 1344,
		.vdisplay = 768, .vsync_start = 771, .vsync_end = 777,
		.vtotal = 806,
	};
}

static void display_mode_timing(struct kunit *test)
{
	struct drm_display_mode m;

	vesa_1024x768(&m);
	KUNIT_EXPECT_NULL(test, vgpu_mode_timing_invalid(&m));
	m.vscan = 1;
	KUNIT_EXPECT_NULL(test, vgpu_mode_timing_invalid(&m));

	/* kms_invalid_mode@int-max-clock: about 2 MHz refresh */
	m.clock = INT_MAX;
	KUNIT_EXPECT_STREQ(test, vgpu_mode_timing_invalid(&m),
			   "refresh rate above the vblank timer's");

	/* kms_invalid_mode@overflow-vrefresh: 32768 * 32768 * 4 = 2^32 */
	vesa_1024x768(&m);
	m.htotal = 32768;
	m.vtotal = 32768;
	m.vscan = 4;
	KUNIT_EXPECT_STREQ(test, vgpu_mode_timing_invalid(&m),
			   "htotal * vtotal * vscan overflows");
	/* the same without vscan fits: a slow refresh is still a refresh */
	m.vscan = 0;
	KUNIT_EXPECT_NULL(test, vgpu_mode_timing_invalid(&m));
	m.vscan = 3;
	KUNIT_EXPECT_NULL(test, vgpu_mode_timing_invalid(&m));

	/* the refresh limit is inclusive: 1000 pixels a frame at 1 MHz */
	vesa_1024x768(&m);
	m.hdisplay = 30;
	m.htotal = 40;
	m.vdisplay = 20;
	m.vtotal = 25;
	m.clock = VGPU_REFRESH_MAX;
	KUNIT_EXPECT_NULL(test, vgpu_mode_timing_invalid(&m));
	m.clock = VGPU_REFRESH_MAX + 1;
	KUNIT_EXPECT_STREQ(test, vgpu_mode_timing_invalid(&m),
			   "refresh rate above the vblank timer's");

	vesa_1024x768(&m);
	m.htotal = 0;
	KUNIT_EXPECT_STREQ(test, vgpu_mode_timing_invalid(&m), "no total size");

	vesa_1024x768(&m);
	m.hdisplay = VGPU_FB_MAX + 1;
	m.htotal = VGPU_FB_MAX + 100;
	KUNIT_EXPECT_STREQ(test, vgpu_mode_timing_invalid(&m),
			   "larger than a framebuffer");
	m.hdisplay = VGPU_FB_MAX;
	KUNIT_EXPECT_NULL(test, vgpu_mode_timing_invalid(&m));
}

/* Every plane format, its bytes in memory for A 0x44 R 0x11 G 0x22 B 0x33. */
static void display_crc_argb(struct kunit *test)
{
	static const struct { u32 fourcc; u8 bytes[4]; u32 argb; } px[] = {
		{ DRM_FORMAT_XRGB8888, { 0x33, 0x22, 0x11, 0x44 }, 0xff112233 },
		{ DRM_FORMAT_ARGB8888, { 0x33, 0x22, 0x11, 0x44 }, 0x44112233 },
		{ DRM_FORMAT_XBGR8888, { 0x11, 0x22, 0x33, 0x44 }, 0xff112233 },
		{ DRM_FORMAT_ABGR8888, { 0x11, 0x22, 0x33, 0x44 }, 0x44112233 },
		{ DRM_FORMAT_BGRX8888, { 0x44, 0x11, 0x22, 0x33 }, 0xff112233 },
		{ DRM_FORMAT_BGRA8888, { 0x44, 0x11, 0x22, 0x33 }, 0x44112233 },
		{ DRM_FORMAT_RGBX8888, { 0x44, 0x33, 0x22, 0x11 }, 0xff112233 },
		{ DRM_FORMAT_RGBA8888, { 0x44, 0x33, 0x22, 0x11 }, 0x44112233 },
	};
	u32 aligned;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(px); i++) {
		memcpy(&aligned, px[i].bytes, 4);
		KUNIT_EXPECT_EQ_MSG(test, vgpu_crc_argb(px[i].fourcc, (u8 *)&aligned),
				    px[i].argb, "format %p4cc", &px[i].fourcc);
	}
}

static void display_crc_over(struct kunit *test)
{
	/* opaque covers, transparent leaves, the result is opaque */
	KUNIT_EXPECT_EQ(test, vgpu_crc_over(0xff102030, 0xffa0b0c0), 0xffa0b0c0);
	KUNIT_EXPECT_EQ(test, vgpu_crc_over(0x00102030, 0x00000000), 0xff102030);
	/* half-covering grey: 0x40 + 0xff * 0x7f / 0xff = 0xbf */
	KUNIT_EXPECT_EQ(test, vgpu_crc_over(0xffffffff, 0x80404040), 0xffbfbfbf);
	KUNIT_EXPECT_EQ(test, vgpu_crc_over(0xff000000, 0x80404040), 0xff404040);
	/* a premultiplied value cannot exceed alpha; a bad one saturates */
	KUNIT_EXPECT_EQ(test, vgpu_crc_over(0xffffffff, 0x10ff0000), 0xffffefef);
}

/*
 * A 4x3 CRTC: a 2x2 red primary at (1, 1) read from the middle of a 3x3
 * buffer, and a 2x2 cursor at (-1, 0) half off the CRTC, opaque white in
 * its first column, half-transparent blue in its second.
 */
static void display_crc_compose(struct kunit *test)
{
	u32 prim[9], cur[4], row[4];
	__le32 frame[12];
	struct vgpu_crc_layer p = {
		.vaddr = (u8 *)&prim[4], .pitch = 12, .format = DRM_FORMAT_XRGB8888,
		.x = 1, .y = 1, .w = 2, .h = 2,
	};
	struct vgpu_crc_layer c = {
		.vaddr = (u8 *)cur, .pitch = 8, .format = DRM_FORMAT_ARGB8888,
		.x = -1, .y = 0, .w = 2, .h = 2,
	};
	unsigned int i;
	u32 want;

	for (i = 0; i < 9; i++)
		prim[i] = (i == 4 || i == 5 || i == 7 || i == 8) ? 0x00ff0000 : 0x0000ff00;
	cur[0] = 0xffffffff;
	cur[2] = 0xffffffff;
	cur[1] = 0x80000080;
	cur[3] = 0x80000080;
	for (i = 0; i < 12; i++)
		frame[i] = cpu_to_le32(0xff000000);
	frame[0] = cpu_to_le32(0xff000080);		/* blue over black */
	frame[4] = cpu_to_le32(0xff000080);
	frame[5] = cpu_to_le32(0xffff0000);
	frame[6] = cpu_to_le32(0xffff0000);
	frame[9] = cpu_to_le32(0xffff0000);
	frame[10] = cpu_to_le32(0xffff0000);
	want = crc32_le(~0u, (u8 *)frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vgpu_crc_compose(&p, &c, 4, 3, row), want);

	/* nothing shown: black rows */
	for (i = 0; i < 12; i++)
		frame[i] = cpu_to_le32(0xff000000);
	want = crc32_le(~0u, (u8 *)frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vgpu_crc_compose(NULL, NULL, 4, 3, row), want);

	/* one pixel changes the CRC; one the layers do not show does not */
	want = vgpu_crc_compose(&p, &c, 4, 3, row);
	prim[0] = 0x00123456;
	KUNIT_EXPECT_EQ(test, vgpu_crc_compose(&p, &c, 4, 3, row), want);
	prim[4] = 0x00fe0000;
	KUNIT_EXPECT_NE(test, vgpu_crc_compose(&p, &c, 4, 3, row), want);
	/* the blue cursor over the red corner: 0x80 + 0xff * 0x7f / 0xff */
	c.x = 0;
	c.y = 0;
	frame[0] = cpu_to_le32(0xffffffff);		/* white */
	frame[1] = cpu_to_le32(0xff000080);
	frame[4] = cpu_to_le32(0xffffffff);
	frame[5] = cpu_to_le32(0xff7f0080);		/* blue over red */
	frame[6] = cpu_to_le32(0xffff0000);
	frame[9] = cpu_to_le32(0xffff0000);
	frame[10] = cpu_to_le32(0xffff0000);
	prim[4] = 0x00ff0000;
	want = crc32_le(~0u, (u8 *)frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vgpu_crc_compose(&p, &c, 4, 3, row), want);

	/* above the top edge too (IGT's kms_plane_cursor starts at -size/3) */
	c.x = -1;
	c.y = -1;
	frame[0] = cpu_to_le32(0xff000080);		/* cursor (1, 1) */
	frame[1] = cpu_to_le32(0xff000000);
	frame[4] = cpu_to_le32(0xff000000);
	frame[5] = cpu_to_le32(0xffff0000);
	want = crc32_le(~0u, (u8 *)frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vgpu_crc_compose(&p, &c, 4, 3, row), want);
}

static struct drm_rect rect(int x, int y, int w, int h)
{
	return (struct drm_rect){ x, y, x + w, y + h };
}

/* Clips summed up: their box, the sum of their areas, their count. */
static void display_damage_add(struct kunit *test)
{
	struct vgpu_damage dmg = {};
	struct drm_rect r = rect(10, 20, 64, 64);

	vgpu_damage_add(&dmg, &r);
	KUNIT_EXPECT_EQ(test, dmg.n, 1u);
	KUNIT_EXPECT_EQ(test, dmg.area, 4096ull);
	KUNIT_EXPECT_TRUE(test, drm_rect_equals(&dmg.box, &r));
	r = rect(0, 100, 8, 2);
	vgpu_damage_add(&dmg, &r);
	r = (struct drm_rect){ 0, 20, 74, 102 };
	KUNIT_EXPECT_TRUE(test, drm_rect_equals(&dmg.box, &r));
	KUNIT_EXPECT_EQ(test, dmg.area, 4096ull + 16);
	KUNIT_EXPECT_EQ(test, dmg.n, 2u);
}

static struct vgpu_damage damage_of(const struct drm_rect *r, unsigned int n)
{
	struct vgpu_damage dmg = {};

	while (n--)
		vgpu_damage_add(&dmg, r++);
	return dmg;
}

/* When clips go as their bounding box, and when one by one. */
static void display_damage_merge(struct kunit *test)
{
	/* 64x64 in the four corners of 1024x768: the box is the screen */
	const struct drm_rect corners[] = {
		rect(0, 0, 64, 64), rect(960, 0, 64, 64),
		rect(0, 704, 64, 64), rect(960, 704, 64, 64),
	};
	/* side by side, with a 64-pixel gap: the box adds 64x64 */
	const struct drm_rect near[] = { rect(0, 0, 64, 64), rect(128, 0, 64, 64) };
	/* the box adds 65534 pixels beyond the clips, then 65790 */
	const struct drm_rect edge[] = { rect(0, 0, 1, 1), rect(255, 255, 1, 1) };
	const struct drm_rect past[] = { rect(0, 0, 1, 1), rect(255, 256, 1, 1) };
	/* three clips save two commands: twice the allowance (131069) */
	const struct drm_rect three[] = {
		rect(0, 0, 1, 1), rect(0, 511, 1, 1), rect(255, 511, 1, 1),
	};
	/* the same clip twice: areas overlap */
	const struct drm_rect twice[] = { rect(5, 5, 300, 300), rect(5, 5, 300, 300) };
	struct vgpu_damage dmg;

	dmg = damage_of(corners, 1);
	KUNIT_EXPECT_FALSE(test, vgpu_damage_merge(&dmg, true, 8));
	KUNIT_EXPECT_FALSE(test, vgpu_damage_merge(&dmg, false, 1));
	dmg = damage_of(corners, 4);
	KUNIT_EXPECT_FALSE(test, vgpu_damage_merge(&dmg, true, 8));
	KUNIT_EXPECT_FALSE(test, vgpu_damage_merge(&dmg, true, 4));
	/* more clips than the parameter allows, or nothing to transfer */
	KUNIT_EXPECT_TRUE(test, vgpu_damage_merge(&dmg, true, 3));
	KUNIT_EXPECT_TRUE(test, vgpu_damage_merge(&dmg, true, 1));
	KUNIT_EXPECT_TRUE(test, vgpu_damage_merge(&dmg, false, 8));
	dmg = damage_of(near, 2);
	KUNIT_EXPECT_TRUE(test, vgpu_damage_merge(&dmg, true, 8));
	dmg = damage_of(edge, 2);
	KUNIT_EXPECT_EQ(test, dmg.area, 2ull);
	KUNIT_EXPECT_TRUE(test, vgpu_damage_merge(&dmg, true, 8));
	dmg = damage_of(past, 2);
	KUNIT_EXPECT_FALSE(test, vgpu_damage_merge(&dmg, true, 8));
	dmg = damage_of(three, 3);
	KUNIT_EXPECT_TRUE(test, vgpu_damage_merge(&dmg, true, 8));
	dmg = damage_of(twice, 2);
	KUNIT_EXPECT_TRUE(test, vgpu_damage_merge(&dmg, true, 8));
}

static struct kunit_case vgpu_display_cases[] = {
	KUNIT_CASE(display_mode_timing),
	KUNIT_CASE(display_crc_argb),
	KUNIT_CASE(display_crc_over),
	KUNIT_CASE(display_crc_compose),
	KUNIT_CASE(display_damage_add),
	KUNIT_CASE(display_damage_merge),
	{}
};

struct kunit_suite vgpu_display_suite = {
	.name = "vgpu_display",
	.test_cases = vgpu_display_cases,
};
