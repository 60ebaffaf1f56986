// SPDX-License-Identifier: GPL-2.0
// vgpu_venus: an 8x8-pixel checkerboard of the two push-constant colours,
// so that every covered pixel's value depends on its own position.
#version 450
layout(push_constant) uniform Colours {
	vec4 even;
	vec4 odd;
} pc;
layout(location = 0) out vec4 colour;

void main()
{
	ivec2 cell = ivec2(gl_FragCoord.xy) / 8;

	colour = ((cell.x + cell.y) & 1) == 0 ? pc.even : pc.odd;
}
