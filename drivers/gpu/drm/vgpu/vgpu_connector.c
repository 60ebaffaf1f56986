// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu display feature: encoders and connectors.
 */
#include <drm/drm_atomic_state_helper.h>
#include <drm/drm_edid.h>
#include <drm/drm_encoder.h>
#include <drm/drm_modes.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * DOC: Modes and hotplug
 *
 * A connector is connected when the host reports its scanout enabled. Its
 * modes come from the host's EDID when VIRTIO_GPU_F_EDID is negotiated and
 * the host gave one; otherwise from the DMT modes up to 3840x2160, with
 * the host's display size (or 1024x768 when it has none) preferred. A
 * display-change event re-reads the display info and EDIDs (the device
 * file's config worker) and sends a hotplug uevent only when an output's
 * state, size or EDID changed (``hotplug_events`` in debugfs).
 */

#define VGPU_DEFAULT_WIDTH	1024
#define VGPU_DEFAULT_HEIGHT	768
/* The standard modes offered without an EDID go up to this size. */
#define VGPU_NOEDID_MAX_W	3840
#define VGPU_NOEDID_MAX_H	2160

static int vgpu_connector_get_modes(struct drm_connector *connector)
{
	struct vgpu_output *out = connector_to_output(connector);
	struct vgpu_device *vg = out->vg;
	const struct drm_edid *drm_edid = NULL;
	struct drm_display_mode *mode;
	u32 width, height;
	int count;

	mutex_lock(&vg->display.state_lock);
	width = vg->display.scanouts[out->index].info.width;
	height = vg->display.scanouts[out->index].info.height;
	if (vg->features.edid && vg->display.scanouts[out->index].edid_len)
		drm_edid = drm_edid_alloc(vg->display.scanouts[out->index].edid,
					  vg->display.scanouts[out->index].edid_len);
	mutex_unlock(&vg->display.state_lock);

	count = vgpu_edid_connector_update(connector, drm_edid);
	drm_edid_free(drm_edid);
	if (count)
		return count;

	count = drm_add_modes_noedid(connector, VGPU_NOEDID_MAX_W,
				     VGPU_NOEDID_MAX_H);
	if (width && height && width <= VGPU_FB_MAX && height <= VGPU_FB_MAX) {
		mode = drm_cvt_mode(connector->dev, width, height, 60, false,
				    false, false);
		if (mode) {
			mode->type |= DRM_MODE_TYPE_PREFERRED;
			drm_mode_probed_add(connector, mode);
			count++;
		}
	} else {
		drm_set_preferred_mode(connector, VGPU_DEFAULT_WIDTH,
				       VGPU_DEFAULT_HEIGHT);
	}
	return count;
}

static enum drm_connector_status
vgpu_connector_detect(struct drm_connector *connector, bool force)
{
	struct vgpu_output *out = connector_to_output(connector);
	struct vgpu_device *vg = out->vg;
	bool enabled;

	mutex_lock(&vg->display.state_lock);
	enabled = vg->display.scanouts[out->index].info.enabled;
	mutex_unlock(&vg->display.state_lock);
	return enabled ? connector_status_connected :
			 connector_status_disconnected;
}

static const struct drm_connector_helper_funcs vgpu_connector_helper_funcs = {
	.get_modes = vgpu_connector_get_modes,
};

static const struct drm_connector_funcs vgpu_connector_funcs = {
	.detect = vgpu_connector_detect,
	.fill_modes = drm_helper_probe_single_connector_modes,
	.reset = drm_atomic_helper_connector_reset,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/**
 * vgpu_connector_init - create the encoder and connector of an output
 * @out: output with its CRTC created
 *
 * Return: 0 or a negative errno.
 */
int vgpu_connector_init(struct vgpu_output *out)
{
	struct drm_device *drm = out->vg->drm;
	struct drm_connector *c = &out->connector;
	int ret;

	ret = drmm_encoder_init(drm, &out->encoder, NULL,
				DRM_MODE_ENCODER_VIRTUAL, NULL);
	if (ret)
		return ret;
	out->encoder.possible_crtcs = drm_crtc_mask(&out->crtc);

	ret = drmm_connector_init(drm, c, &vgpu_connector_funcs,
				  DRM_MODE_CONNECTOR_VIRTUAL, NULL);
	if (ret)
		return ret;
	drm_connector_helper_add(c, &vgpu_connector_helper_funcs);
	c->polled = DRM_CONNECTOR_POLL_HPD;
	return drm_connector_attach_encoder(c, &out->encoder);
}
